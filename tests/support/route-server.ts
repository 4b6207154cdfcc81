// Serves App Router route handlers over real HTTP (node:http ↔ fetch Request/Response) so clients
// such as the official `openai` package can be pointed at them. Only for routes that authenticate
// by API key: cookie sessions need Next's request context, which the e2e suite covers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteTable = Record<string, Partial<Record<"GET" | "POST" | "DELETE" | "PATCH", Handler>>>;

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRoutes(routes: RouteTable): Promise<RouteServer> {
  const server = http.createServer(async (inc, out) => {
    const url = new URL(inc.url ?? "/", "http://127.0.0.1");
    const handler = routes[url.pathname]?.[inc.method as "GET"];
    if (!handler) {
      out.writeHead(404).end();
      return;
    }
    const abort = new AbortController();
    out.on("close", () => {
      if (!out.writableFinished) abort.abort();
    });
    const hasBody = inc.method !== "GET" && inc.method !== "HEAD";
    const req = new Request(url, {
      method: inc.method,
      headers: inc.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(inc) as ReadableStream<Uint8Array>) : undefined,
      signal: abort.signal,
      // @ts-expect-error Node's fetch needs duplex for a streamed request body
      duplex: "half",
    });
    const res = await handler(req, { params: Promise.resolve({}) });
    out.writeHead(res.status, Object.fromEntries(res.headers));
    if (!res.body) return void out.end();
    const body = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
    body.on("error", () => out.destroy());
    out.on("close", () => body.destroy());
    body.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
