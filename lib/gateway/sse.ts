// How a live reply reaches a client (replaying what exists so far) until it ends or the client
// leaves. The wire format is the encoder's; each event is one pre-built string, written once, with no
// TransformStream chain per token. A client that goes away only detaches: the reply keeps generating
// and is saved. Two transports share the subscriber:
// - replySseStream: a WHATWG ReadableStream, for Next.js route handlers (and tests);
// - writeReplyToNode: straight to a Node ServerResponse, one res.write per upstream read. The app's
//   server (scripts/server.ts) uses it for replyResponse()s, skipping Next's per-chunk stream pipe.
import type { ServerResponse } from "node:http";
import type { ReplyRun, ReplySubscriber } from "./reply-run";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

export interface ReplyEncoder {
  open(): string;
  delta(text: string): string;
  /** The closing events, including `data: [DONE]`. */
  end(run: ReplyRun): string;
}

function subscriber(run: ReplyRun, encode: ReplyEncoder, write: (s: string) => void, close: () => void): () => void {
  let open = true;
  const send = (s: string) => {
    if (!open) return;
    sub.lastWriteAt = Date.now();
    write(s);
  };
  const sub: ReplySubscriber = {
    lastWriteAt: Date.now(),
    delta: (text) => send(encode.delta(text)),
    end(r) {
      send(encode.end(r));
      open = false;
      close();
    },
    heartbeat: () => send(": keep-alive\n\n"),
  };
  send(encode.open());
  const detach = run.subscribe(sub);
  return () => {
    open = false;
    detach();
  };
}

const encoder = new TextEncoder();

export function replySseStream(run: ReplyRun, encode: ReplyEncoder): ReadableStream<Uint8Array> {
  let detach: (() => void) | null = null;
  return new ReadableStream<Uint8Array>(
    {
      // Subscribes on the first read, not at construction: a replyResponse() served by the Node
      // writer never reads this stream, and must not also feed it.
      pull(controller) {
        if (detach) return;
        detach = subscriber(
          run,
          encode,
          (s) => controller.enqueue(encoder.encode(s)),
          () => controller.close(),
        );
      },
      cancel() {
        detach?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Writes the reply to a Node response as it is generated; a client that leaves only detaches. After
 * the headers, each event goes to the socket as one HTTP/1.1 chunk in one write: ServerResponse.write
 * would cost four buffered writes and a cork/uncork (a writev) per token (as in inference/chat-handler.ts).
 */
export function writeReplyToNode(run: ReplyRun, encode: ReplyEncoder, res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, headers);
  res.flushHeaders();
  const socket = (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true ? res.socket : null;
  const detach = subscriber(
    run,
    encode,
    socket
      ? (s) => {
          if (!socket.destroyed) socket.write(`${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`);
        }
      : (s) => void res.write(s),
    () => void res.end(),
  );
  res.once("close", detach);
}

interface ReplyBody {
  run: ReplyRun;
  encode: ReplyEncoder;
}

const replyBodies = new WeakMap<Response, ReplyBody>();

/** A streamed reply as a Response; a Node server can find the reply behind it with replyOf(). */
export function replyResponse(run: ReplyRun, encode: ReplyEncoder, headers: Record<string, string>): Response {
  const res = new Response(replySseStream(run, encode), { headers });
  replyBodies.set(res, { run, encode });
  return res;
}

export function replyOf(res: Response): ReplyBody | undefined {
  return replyBodies.get(res);
}
