// The usage limits of DESIGN §1 step 3, by tier and model (lib/limits/config.ts): message caps per
// model over a rolling window (the chat UI falls back to the tier's fallback model), tokens per UTC
// day, API requests per minute, and concurrent streams per user.
import type { SessionUser } from "@/lib/auth/session-user";
import { errors } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import { findModel, type CatalogModel, type Tier } from "@/lib/models/catalog";
import { parseWindow, tierLimits } from "./config";
import { leaseStore, windowLimiter } from "./limiters";
import { onStoreError, type WindowResult, type WindowSpec } from "./window";

const DAY_MS = 86_400_000;

/** Shown in the chat when a reply went to the fallback model. */
export interface LimitNotice {
  model: string;
  modelLabel: string;
  fallbackModel: string;
  fallbackLabel: string;
  /** ISO time at which the capped model is available again. */
  resetAt: string;
}

const ids = {
  messages: (userId: string, model: string) => `msg:${model}:${userId}`,
  tokens: (userId: string) => `tok:${userId}`,
  api: (userId: string) => `api:${userId}`,
};

export function messageSpec(tier: Tier, modelId: string): WindowSpec | null {
  const cap = tierLimits(tier).messages[modelId];
  return cap ? { kind: "sliding", limit: cap.limit, windowMs: parseWindow(cap.window) } : null;
}
const tokenSpec = (tier: Tier): WindowSpec => ({ kind: "fixed", limit: tierLimits(tier).tokensPerDay, windowMs: DAY_MS });
const apiSpec = (tier: Tier): WindowSpec => ({ kind: "sliding", limit: tierLimits(tier).apiRequestsPerMinute, windowMs: 60_000 });

/** "GPT-4o (simulated)" → "GPT-4o": the limit is the product model's, however it is served. */
export const shortLabel = (m: CatalogModel) => m.label.replace(/\s*\([^)]*\)$/, "");
const utcTime = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
const secondsUntil = (ms: number) => Math.max(1, Math.ceil((ms - Date.now()) / 1000));

/** OpenAI's reset format: "1s", "6m0s", "2h3m4s". */
export function resetDuration(ms: number): string {
  let s = Math.max(0, Math.ceil((ms - Date.now()) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

function rejected(limit: string, message: string, reset: number, headers: Record<string, string> = {}) {
  metrics().limitRejections.inc({ limit });
  return errors.rateLimited(message, secondsUntil(reset), headers);
}

async function tokensLeft(user: SessionUser): Promise<WindowResult> {
  const r = await windowLimiter(tokenSpec(user.tier)).peek(ids.tokens(user.id));
  return r;
}

function tokenHeaders(r: WindowResult): Record<string, string> {
  return {
    "x-ratelimit-limit-tokens": String(r.limit),
    "x-ratelimit-remaining-tokens": String(r.remaining),
    "x-ratelimit-reset-tokens": resetDuration(r.reset),
  };
}

function tokensExhausted(r: WindowResult, headers: Record<string, string> = {}) {
  return rejected(
    "tokens_per_day",
    `You've used today's ${r.limit.toLocaleString("en-US")} tokens. The allowance renews at ${utcTime(r.reset)}.`,
    r.reset,
    { ...headers, ...tokenHeaders(r) },
  );
}

/**
 * Chat UI: which model answers this turn. A capped model that is used up hands the turn to the
 * tier's fallback model (with a notice); with no usable fallback the turn is refused with the time
 * the cap resets. Counts the message against the model that answers.
 */
export interface ChatAdmission {
  model: CatalogModel;
  notice: LimitNotice | null;
  /** Gives the counted message back (the turn failed before anything was generated). */
  refund(): Promise<void>;
}

const refundFor = (user: SessionUser, spec: WindowSpec | null, modelId: string) => async () => {
  if (spec) await windowLimiter(spec).limit(ids.messages(user.id, modelId), -1);
};

export async function admitChatModel(user: SessionUser, model: CatalogModel): Promise<ChatAdmission> {
  const tokens = await tokensLeft(user);
  if (!tokens.success) throw tokensExhausted(tokens);
  const spec = messageSpec(user.tier, model.id);
  if (!spec) return { model, notice: null, refund: async () => {} };
  const r = await windowLimiter(spec).limit(ids.messages(user.id, model.id));
  if (r.success) return { model, notice: null, refund: refundFor(user, spec, model.id) };

  const fallbackId = tierLimits(user.tier).fallbackModel;
  const fallback = fallbackId && fallbackId !== model.id ? findModel(fallbackId) : undefined;
  if (fallback && fallback.tiers.includes(user.tier)) {
    const fbSpec = messageSpec(user.tier, fallback.id);
    const fb = fbSpec ? await windowLimiter(fbSpec).limit(ids.messages(user.id, fallback.id)) : null;
    if (!fb || fb.success) {
      metrics().limitRejections.inc({ limit: "messages_fallback" });
      const notice: LimitNotice = {
        model: model.id,
        modelLabel: shortLabel(model),
        fallbackModel: fallback.id,
        fallbackLabel: fallback.id,
        resetAt: new Date(r.reset).toISOString(),
      };
      return { model: fallback, notice, refund: refundFor(user, fb ? fbSpec : null, fallback.id) };
    }
  }
  throw rejected("messages", `You've reached the ${shortLabel(model)} limit until ${utcTime(r.reset)}. Try again then.`, r.reset, {
    "x-ratelimit-limit-requests": String(r.limit),
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": resetDuration(r.reset),
  });
}

/** Public API: requests per minute and tokens per day. Returns the x-ratelimit-* headers for the response. */
export async function admitApiRequest(user: SessionUser): Promise<Record<string, string>> {
  const tokens = await tokensLeft(user);
  const r = await windowLimiter(apiSpec(user.tier)).limit(ids.api(user.id));
  const headers = {
    "x-ratelimit-limit-requests": String(r.limit),
    "x-ratelimit-remaining-requests": String(r.remaining),
    "x-ratelimit-reset-requests": resetDuration(r.reset),
    ...tokenHeaders(tokens),
  };
  if (!r.success) {
    throw rejected("api_requests_per_minute", `Rate limit reached: ${r.limit} requests per minute. Try again shortly.`, r.reset, headers);
  }
  if (!tokens.success) throw tokensExhausted(tokens, headers);
  return headers;
}

/**
 * Public API: a capped model counts each request against the same per-model cap as the chat, so a
 * user has one allowance whatever the client (else an API key would be a way around the cap). At the
 * cap the answer is 429: an API never swaps the model a program asked for. Returns the refund.
 */
export async function admitApiModel(user: SessionUser, model: CatalogModel): Promise<() => Promise<void>> {
  const spec = messageSpec(user.tier, model.id);
  if (!spec) return async () => {};
  const r = await windowLimiter(spec).limit(ids.messages(user.id, model.id));
  if (r.success) return refundFor(user, spec, model.id);
  throw rejected("messages", `You've reached the ${shortLabel(model)} limit until ${utcTime(r.reset)}.`, r.reset, {
    "x-ratelimit-limit-requests": String(r.limit),
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": resetDuration(r.reset),
  });
}

/** Counts a finished reply's tokens against the day's allowance. */
export async function recordTokens(user: Pick<SessionUser, "id" | "tier">, tokens: number): Promise<void> {
  if (tokens > 0) await windowLimiter(tokenSpec(user.tier)).limit(ids.tokens(user.id), tokens);
}

/** Holds one of the user's concurrent stream slots; call the returned function when the reply ends. */
export async function holdStreamSlot(user: SessionUser, leaseId: string): Promise<() => void> {
  const max = tierLimits(user.tier).concurrentStreams;
  const store = leaseStore();
  let ok: boolean;
  try {
    ok = await store.acquire(user.id, leaseId, max);
  } catch (err) {
    onStoreError({ kind: "fixed", limit: max, windowMs: 0 }, err); // throws when the policy is "closed"
    return () => {};
  }
  if (!ok) {
    metrics().limitRejections.inc({ limit: "concurrent_streams" });
    throw errors.rateLimited(
      max === 1 ? "A reply is already being written. Wait for it to finish." : `${max} replies are already being written. Wait for one to finish.`,
      5,
    );
  }
  return () => void store.release(user.id, leaseId).catch(() => {});
}

export interface LimitsOverview {
  models: { id: string; label: string; limit: number; remaining: number; window: string; resetAt: string }[];
  tokens: { limit: number; remaining: number; resetAt: string };
  apiRequestsPerMinute: number;
  concurrentStreams: number;
  fallbackModel: string | null;
  /** True when the counts could not be read (Redis down). */
  degraded: boolean;
}

/** What remains of each limit, for /settings. */
export async function limitsOverview(user: SessionUser): Promise<LimitsOverview> {
  const t = tierLimits(user.tier);
  const models = await Promise.all(
    Object.entries(t.messages).map(async ([modelId, cap]) => {
      const m = findModel(modelId);
      if (!m || !m.tiers.includes(user.tier)) return null;
      const r = await windowLimiter(messageSpec(user.tier, modelId)!).peek(ids.messages(user.id, modelId));
      const row = { id: modelId, label: shortLabel(m), limit: r.limit, remaining: r.remaining, window: cap.window, resetAt: new Date(r.reset).toISOString() };
      return { row, degraded: Boolean(r.degraded) };
    }),
  );
  const tokens = await tokensLeft(user);
  const shown = models.filter((m) => m !== null);
  return {
    models: shown.map((m) => m.row),
    tokens: { limit: tokens.limit, remaining: tokens.remaining, resetAt: new Date(tokens.reset).toISOString() },
    apiRequestsPerMinute: t.apiRequestsPerMinute,
    concurrentStreams: t.concurrentStreams,
    fallbackModel: t.fallbackModel,
    degraded: Boolean(tokens.degraded || shown.some((m) => m.degraded)),
  };
}

