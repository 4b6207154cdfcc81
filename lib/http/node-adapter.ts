// Runs a route handler (the same exported GET/POST Next.js calls) for a Node request, for the app's
// own server (scripts/server.ts). A streamed reply (replyResponse) is written straight to the socket;
// any other Response is copied once. Only requests, not tokens, pay for the Request/Response objects.
import type { IncomingMessage, ServerResponse } from "node:http";
import { errors, toAppError } from "@/lib/errors";
import { replyOf, writeReplyToNode } from "@/lib/gateway/sse";
// The same bound as userRoute's body reader: these routes go through it too; this refuses before buffering.
import { DEFAULT_MAX_BODY_BYTES } from "./body";
import { log } from "@/lib/log/logger";

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= DEFAULT_MAX_BODY_BYTES) return void chunks.push(chunk);
      // Too large: answer now and discard the rest (destroying the socket would lose the answer).
      req.off("data", onData);
      req.resume();
      resolve(null);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toRequest(req: IncomingMessage, body: Buffer | undefined, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const host = req.headers.host ?? "localhost";
  return new Request(`http://${host}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
    signal,
  });
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const reply = replyOf(response);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  if (reply) return writeReplyToNode(reply.source, reply.encode, res, headers as Record<string, string>);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  res.writeHead(response.status, headers);
  res.end(body);
}

export async function serveRoute(handler: RouteHandler, params: Record<string, string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // As in Next: request.signal aborts when the client goes away before the response has ended.
  const disconnected = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) disconnected.abort();
  });
  try {
    let body: Buffer | undefined;
    if (req.method !== "GET" && req.method !== "HEAD") {
      const read = await readBody(req);
      if (!read) {
        res.setHeader("connection", "close");
        return void (await sendResponse(res, errors.tooLarge("The request body is too large.", "request_too_large").toResponse()));
      }
      body = read;
    }
    await sendResponse(res, await handler(toRequest(req, body, disconnected.signal), { params: Promise.resolve(params) }));
  } catch (err) {
    log().error({ err, method: req.method, route: (req.url ?? "").split("?")[0] }, "route failed");
    if (res.headersSent) res.destroy();
    else await sendResponse(res, toAppError(err).toResponse()).catch(() => res.destroy());
  }
}
