// The one log line per request: method, path (no query string: it can carry search text), status,
// duration, and (from the request context) request id and user id. Nothing from headers or body.
import { log } from "./logger";

export function logRequest(req: Request, status: number, durationMs: number): void {
  let path = "";
  try {
    path = new URL(req.url).pathname;
  } catch {
    path = "?";
  }
  const level = status >= 500 ? "error" : "info";
  log()[level]({ kind: "request", method: req.method, route: path, status, duration_ms: Math.round(durationMs * 10) / 10 }, "request");
}
