// Account creation per client address: guests (each a fresh free-tier quota, so unlimited guests
// made the quotas meaningless) and password accounts (each a 19 MiB argon2 hash). Counted in the
// limits' store, so every instance shares one count when REDIS_URL is set.
import { env } from "@/lib/env";
import { ipLimitKey } from "@/lib/http/client-ip";
import { windowLimiter } from "@/lib/limits/limiters";

const HOUR_MS = 60 * 60_000;

export type CreationKind = "guest" | "signup";

/** Counts one creation for this address; false when the address has used up its hour. */
export async function admitAccountCreation(kind: CreationKind, ip: string): Promise<{ ok: boolean; retryAfterS: number }> {
  const limit = kind === "guest" ? env().GUESTS_PER_IP_PER_HOUR : env().SIGNUPS_PER_IP_PER_HOUR;
  const r = await windowLimiter({ kind: "sliding", limit, windowMs: HOUR_MS }).limit(`create-${kind}:${ipLimitKey(ip)}`);
  return { ok: r.success, retryAfterS: Math.max(1, Math.ceil((r.reset - Date.now()) / 1000)) };
}
