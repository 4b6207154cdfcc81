// The signed-in user from a request's Cookie header, without Auth.js's auth(). auth() runs a whole
// internal Auth.js request per call (a new Request, the session action, a JWE decrypt with its key
// derivation, and a re-encrypted cookie that route handlers and pages then drop): 10% of the app's
// CPU on the chat route under load. Here the encrypted JWT is decrypted once per cookie value
// (next-auth's getToken, the same cookie names, chunks, secret and salt) and the result kept in a
// small bounded cache; the server-side session row is checked on every request (reused for a few
// seconds, db/queries/auth-cache.ts), so sign-out, revocation and disabled users take effect at once
// on this instance and within seconds on the others.
import { getToken } from "next-auth/jwt";
import { processShared } from "@/lib/process-registry";
import { authSecret } from "./secret";
import { findServerSession } from "./server-session";
import { toSessionUser, type SessionUser } from "./session-user";

const SESSION_COOKIE = /(?:^|;\s*)((?:__Secure-)?authjs\.session-token(?:\.\d+)?)=([^;]*)/g;
const CACHE_MAX = 10_000;
/** A decrypted JWT never changes, but it is rechecked now and then anyway (and at its own expiry). */
const CACHE_TTL_MS = 5 * 60_000;

interface Decoded {
  sid: string;
  untilMs: number;
}

// A Map in insertion order is the LRU (hand-written: lru-cache is not a dependency, and this needs
// only get / set / evict-oldest). One per process (lib/process-registry.ts), not one per module graph.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    sessionCookieCache: Map<string, Decoded>;
  }
}
const decoded = processShared("sessionCookieCache", () => new Map<string, Decoded>());

function sessionCookies(cookieHeader: string): { key: string; secure: boolean } | null {
  let key = "";
  let secure = false;
  for (const m of cookieHeader.matchAll(SESSION_COOKIE)) {
    key += `${m[1]}=${m[2]};`;
    if (m[1].startsWith("__Secure-")) secure = true;
  }
  return key ? { key, secure } : null;
}

/** The server-session token inside the session cookie, or null when there is none or it does not decrypt. */
export async function sessionTokenFromCookies(cookieHeader: string | null | undefined): Promise<string | null> {
  if (!cookieHeader) return null;
  const found = sessionCookies(cookieHeader);
  if (!found) return null;
  const now = Date.now();
  const hit = decoded.get(found.key);
  if (hit) {
    decoded.delete(found.key);
    if (hit.untilMs > now) {
      decoded.set(found.key, hit);
      return hit.sid;
    }
  }
  let token: Awaited<ReturnType<typeof getToken>> = null;
  try {
    token = await getToken({ req: { headers: { cookie: cookieHeader } }, secret: authSecret(), secureCookie: found.secure });
  } catch {
    token = null; // tampered, or encrypted with another secret
  }
  const sid = typeof token?.sid === "string" ? token.sid : null;
  if (!sid) return null;
  const expMs = typeof token?.exp === "number" ? token.exp * 1000 : now;
  if (expMs <= now) return null;
  decoded.set(found.key, { sid, untilMs: Math.min(expMs, now + CACHE_TTL_MS) });
  if (decoded.size > CACHE_MAX) decoded.delete(decoded.keys().next().value!);
  return sid;
}

/** The signed-in user for a Cookie header: the session row is checked on every call (db/queries/auth-cache.ts). */
export async function sessionUserFromCookies(cookieHeader: string | null | undefined): Promise<SessionUser | null> {
  const sid = await sessionTokenFromCookies(cookieHeader);
  if (!sid) return null;
  const record = await findServerSession(sid);
  return record ? toSessionUser(record.user) : null;
}
