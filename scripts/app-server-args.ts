// The node arguments that run the app's production server (scripts/server.ts), for `npm start` and
// the e2e and bench setups: they spawn `process.execPath` with these.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export function appServerArgs(port: number | string, hostname: string): string[] {
  return ["--import", "tsx", path.join(root, "scripts", "server.ts"), "--port", String(port), "--hostname", hostname];
}
