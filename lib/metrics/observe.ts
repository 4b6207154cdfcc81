// What the gateway reports about a reply, in one call per event, so the pipeline needs one line at
// each place: a text delta (inter-token gap), an upstream attempt that failed, and the reply's end
// (replies by model/tier/finish reason, TTFT, tokens per second, and the per-reply log line).
import { log } from "@/lib/log/logger";
import { replicaLabel } from "@/lib/log/addresses";
import { metrics } from "./registry";

/** The part of a finished reply these figures need (lib/gateway's ReplyRun has all of it). */
export interface FinishedReply {
  id: string;
  userId: string;
  model: string;
  pool: string;
  replica: string;
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number | null;
  result: { finishReason: string; usage?: { promptTokens: number; completionTokens: number } } | null;
}

/** A text delta arrived gapMs after the previous one (called from the second delta on). */
export function observeTokenGap(model: string, pool: string, gapMs: number): void {
  metrics().tokenGap.observe({ model, pool }, gapMs / 1000);
}

export type UpstreamErrorKind = "http_5xx" | "http_429" | "http_4xx" | "first_token_timeout" | "stream";

export function upstreamErrorKind(status: number | undefined, timedOut: boolean): UpstreamErrorKind {
  if (timedOut) return "first_token_timeout";
  if (status === undefined) return "stream";
  if (status === 429) return "http_429";
  return status >= 500 ? "http_5xx" : "http_4xx";
}

/** One upstream attempt failed (a retry may follow). */
export function observeUpstreamError(replica: string, status: number | undefined, timedOut = false): void {
  metrics().upstreamErrors.inc({ replica: replica || "none", kind: upstreamErrorKind(status, timedOut) });
}

/** Tokens per second from the first token to the end; null for replies too short to say. */
export function streamTokensPerSecond(r: FinishedReply): number | null {
  const tokens = r.result?.usage?.completionTokens ?? 0;
  if (r.firstTokenAt === null || r.endedAt === null || tokens < 2) return null;
  const seconds = (r.endedAt - r.firstTokenAt) / 1000;
  return seconds > 0 ? (tokens - 1) / seconds : null;
}

/** The reply ended: count it, observe its TTFT and rate, and write its one log line (never its text). */
export function observeReplyFinished(r: FinishedReply, tier: string): void {
  const m = metrics();
  const finishReason = r.result?.finishReason ?? "error";
  const labels = { model: r.model, pool: r.pool || "none" };
  m.replies.inc({ model: r.model, tier, finish_reason: finishReason });
  const ttftMs = r.firstTokenAt === null ? null : r.firstTokenAt - r.startedAt;
  if (ttftMs !== null) m.ttft.observe(labels, ttftMs / 1000);
  const rate = streamTokensPerSecond(r);
  if (rate !== null) m.tokensPerSecond.observe(labels, rate);
  log().info(
    {
      kind: "reply",
      reply_id: r.id,
      user_id: r.userId,
      model: r.model,
      pool: r.pool,
      replica: replicaLabel(r.pool, r.replica), // never the replica's address
      tier,
      ttft_ms: ttftMs,
      duration_ms: r.endedAt === null ? null : r.endedAt - r.startedAt,
      prompt_tokens: r.result?.usage?.promptTokens ?? null,
      completion_tokens: r.result?.usage?.completionTokens ?? null,
      tokens_per_s: rate === null ? null : Math.round(rate * 10) / 10,
      finish_reason: finishReason,
    },
    "reply",
  );
}
