// The node arguments that run the app's production server (scripts/server.ts), for `npm start` and
// the e2e and bench setups: they spawn `process.execPath` with these.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export function appServerArgs(port: number | string, hostname: string): string[] {
  // tsx/esm: only ES module imports (our TypeScript route graph) go through tsx; Next.js's own CommonJS
  // requires stay on Node's loader, which keeps start-up as quick as `next start`.
  return ["--import", "tsx/esm", path.join(root, "scripts", "server.ts"), "--port", String(port), "--hostname", hostname];
}
