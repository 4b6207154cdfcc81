// AUTH_SECRET signs and encrypts session cookies. When it is unset (a newcomer's first start), one is
// generated once and kept under DATA_DIR so sessions survive restarts; production sets AUTH_SECRET.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";

let secret: string | undefined;

export function authSecret(): string {
  if (secret) return secret;
  const fromEnv = env().AUTH_SECRET;
  if (fromEnv) return (secret = fromEnv);
  const file = path.join(env().DATA_DIR, "auth-secret");
  try {
    secret = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    secret = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600 });
  }
  return secret;
}
