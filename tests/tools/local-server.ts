// A local HTTP server for the tools tests: each test registers routes; nothing leaves 127.0.0.1.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface LocalServer {
  port: number;
  origin: string;
  /** Requests seen, with their headers, in order. */
  seen: { path: string; headers: http.IncomingHttpHeaders }[];
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const routes = new Map<string, Route>();
  const seen: LocalServer["seen"] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    seen.push({ path: req.url ?? "/", headers: req.headers });
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
