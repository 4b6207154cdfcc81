// AUTH_SECRET signs and encrypts session cookies. When it is unset (a newcomer's first start), one is
// generated once and kept under DATA_DIR so sessions survive restarts; production sets AUTH_SECRET.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { processShared } from "@/lib/process-registry";

// One per process (lib/process-registry.ts): were the app server's graph and Next's bundle each to
// generate one on a first start, they could hold two different secrets and refuse each other's cookies.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    authSecret: string;
  }
}

export function authSecret(): string {
  return processShared("authSecret", loadSecret);
}

function loadSecret(): string {
  const fromEnv = env().AUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(env().DATA_DIR, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    // wx: if another process wrote one meanwhile, use that one.
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
