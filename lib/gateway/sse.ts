// How a reply's events reach one client, from whichever source (the run on this instance for the
// request that started it; the event log for everyone else; the saved row when the log is gone)
// until the end event or until the client leaves. The encoder turns each event into one pre-built
// string; every batch of events is written once, with no TransformStream chain per token. A client
// that goes away only detaches: the reply keeps generating and is saved. Two transports:
// - replySseStream: a WHATWG ReadableStream, for Next.js route handlers (and tests);
// - writeReplyToNode: straight to a Node ServerResponse, one write per batch (= per upstream read).
//   The app's server (scripts/server.ts, via lib/http/node-adapter.ts) uses it for replyResponse()s.
import type { ServerResponse } from "node:http";
import type { LoggedReplyEvent } from "./pipeline/events";
import { watchConnection } from "./pipeline/live";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

export interface ReplyEncoder {
  /** One event as SSE text ("" for a kind this door does not show); the end event includes `data: [DONE]`. */
  encode(event: LoggedReplyEvent): string;
}

/** Subscribes to a reply's events (replay, then live); returns the detach function. */
export type ReplySource = (onEvents: (events: LoggedReplyEvent[]) => void) => () => void;

function pump(source: ReplySource, encoder: ReplyEncoder, write: (s: string) => void, close: () => void): () => void {
  let open = true;
  let detach: (() => void) | null = null;
  const conn = {
    lastWriteAt: Date.now(),
    heartbeat: () => send(": keep-alive\n\n"),
  };
  const send = (s: string) => {
    if (!open) return;
    conn.lastWriteAt = Date.now();
    write(s);
  };
  const unwatch = watchConnection(conn);
  const stop = () => {
    if (!open) return;
    open = false;
    unwatch();
    detach?.();
  };
  let ended = false;
  detach = source((events) => {
    if (!open) return;
    let out = "";
    for (const e of events) {
      out += encoder.encode(e);
      if (e.event.type === "end") ended = true;
    }
    if (out) send(out);
    if (ended) {
      stop();
      close();
    }
  });
  if (ended) detach(); // the source replayed a finished reply synchronously, before detach was known
  return stop;
}

const encoder = new TextEncoder();

export function replySseStream(source: ReplySource, encode: ReplyEncoder): ReadableStream<Uint8Array> {
  let stop: (() => void) | null = null;
  return new ReadableStream<Uint8Array>(
    {
      // Subscribes on the first read, not at construction: a replyResponse() served by the Node
      // writer never reads this stream, and must not also feed it.
      pull(controller) {
        if (stop) return;
        stop = pump(
          source,
          encode,
          (s) => controller.enqueue(encoder.encode(s)),
          () => controller.close(),
        );
      },
      cancel() {
        stop?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Writes the reply to a Node response as it is generated; a client that leaves only detaches. After
 * the headers, each batch goes to the socket as one HTTP/1.1 chunk in one write: ServerResponse.write
 * would cost four buffered writes and a cork/uncork (a writev) per token (as in inference/chat-handler.ts).
 */
export function writeReplyToNode(source: ReplySource, encode: ReplyEncoder, res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, headers);
  res.flushHeaders();
  const socket = (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true ? res.socket : null;
  const stop = pump(
    source,
    encode,
    socket
      ? (s) => {
          if (!socket.destroyed) socket.write(`${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`);
        }
      : (s) => void res.write(s),
    () => void res.end(),
  );
  res.once("close", stop);
}

interface ReplyBody {
  source: ReplySource;
  encode: ReplyEncoder;
}

const replyBodies = new WeakMap<Response, ReplyBody>();

/** A streamed reply as a Response; the app server finds the reply behind it with replyOf(). */
export function replyResponse(source: ReplySource, encode: ReplyEncoder, headers: Record<string, string>): Response {
  const res = new Response(replySseStream(source, encode), { headers });
  replyBodies.set(res, { source, encode });
  return res;
}

export function replyOf(res: Response): ReplyBody | undefined {
  return replyBodies.get(res);
}
