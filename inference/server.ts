// The vLLM-compatible HTTP server (DESIGN §3) on plain node:http: routing, body reading and the
// server settings long-lived streams need. Chat completions live in chat-handler.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleChat, sendError } from "./chat-handler";
import { resolveSimConfig, type SimConfigInput } from "./config";
import { Engine } from "./engine";
import { moderationsResponse } from "./guard";
import { imagesResponse } from "./images";
import { modelsJson } from "./wire";

export interface StartInferenceServerOptions {
  /** 0 or omitted = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Overrides of the default config (a Partial<SimConfig> works; model entries need only a name). */
  config?: SimConfigInput;
}

export interface InferenceServer {
  /** e.g. http://127.0.0.1:8000 (no trailing slash, no /v1). */
  url: string;
  port: number;
  engine: Engine;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function readBody(req: http.IncomingMessage, res: http.ServerResponse, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.removeAllListeners("data");
      req.resume();
      if (!res.headersSent) sendError(res, 413, `Request body larger than ${MAX_BODY_BYTES} bytes`, { connection: "close" });
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (size <= MAX_BODY_BYTES) done(Buffer.concat(chunks).toString("utf8"));
  });
}

export async function startInferenceServer(opts: StartInferenceServerOptions = {}): Promise<InferenceServer> {
  const config = resolveSimConfig(opts.config);
  const engine = new Engine(config);
  const created = Math.floor(Date.now() / 1000);
  const models = modelsJson(config.models, created);

  const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    const method = req.method ?? "GET";
    if (method === "POST" && path === "/v1/chat/completions") {
      readBody(req, res, (body) => handleChat(engine, config, req, res, body));
      return;
    }
    if (method === "POST" && path === "/v1/images/generations") {
      readBody(req, res, (body) => {
        imagesResponse(body).then(
          (out) => res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.json)),
          () => sendError(res, 500, "Image rendering failed"),
        );
      });
      return;
    }
    if (method === "POST" && path === "/v1/moderations") {
      // Not part of vLLM: OpenAI's moderation endpoint, from the guard classifier (inference/guard.ts), for MODERATION_URL tests.
      readBody(req, res, (body) => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = null;
        }
        const out = moderationsResponse(parsed);
        res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.json));
      });
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      sendError(res, path === "/v1/chat/completions" ? 405 : 404, `${method} ${path} is not supported`);
      return;
    }
    switch (path) {
      case "/health":
        res.writeHead(200, { "content-length": "0" }).end();
        return;
      case "/v1/models":
        res.writeHead(200, { "content-type": "application/json" }).end(models);
        return;
      case "/metrics":
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(engine.metricsText());
        return;
      case "/sim/stats":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(engine.stats()));
        return;
      case "/version":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version: "vllm-sim" }));
        return;
      default:
        sendError(res, 404, `${path} not found`);
    }
  });
  // Streams may run for minutes: no whole-request timeout; generous keep-alive so gateways reuse
  // connections; headers must still arrive promptly.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 75_000;
  server.timeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    engine,
    close: () =>
      new Promise<void>((resolve, reject) => {
        engine.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
