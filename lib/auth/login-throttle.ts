// Slows brute force: failed sign-ins are counted per account and per client IP; past the limit,
// attempts are refused until the window moves on. The answer is the same whether or not the
// account exists. (In-process for now; shared limits over Redis come with the rate-limit work.)
import { MemoryWindowLimiter } from "@/lib/limits/memory-window";

const perAccount = new MemoryWindowLimiter(5, 15 * 60_000);
const perIp = new MemoryWindowLimiter(50, 15 * 60_000);

export function loginBlockedUntil(email: string, ip: string): number | null {
  const a = perAccount.peek(email.toLowerCase());
  const b = perIp.peek(ip);
  if (a.success && b.success) return null;
  return Math.max(a.success ? 0 : a.reset, b.success ? 0 : b.reset);
}

export function recordLoginFailure(email: string, ip: string): void {
  perAccount.take(email.toLowerCase());
  perIp.take(ip);
}

export function recordLoginSuccess(email: string): void {
  perAccount.reset(email.toLowerCase());
}
