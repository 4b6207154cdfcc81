// Shared by the inference tests: fast model profiles, a real server on a free port, and an SSE reader
// that timestamps every event. Tests talk real HTTP; nothing here is a mock.
import { createParser } from "eventsource-parser";
import type { SimConfigInput, SimModelConfigInput } from "./config";
import { startInferenceServer, type InferenceServer } from "./server";

/** Quick profiles so a whole reply streams in a few milliseconds. */
export const FAST_MODELS: SimModelConfigInput[] = [
  { name: "fast", mode: "text", baseTtftMs: 2, prefillTokensPerS: 1_000_000, decodeTokensPerS: 5_000 },
  { name: "echo", mode: "echo", baseTtftMs: 2, prefillTokensPerS: 1_000_000, decodeTokensPerS: 20_000 },
  { name: "tools", mode: "tools", baseTtftMs: 2, prefillTokensPerS: 1_000_000, decodeTokensPerS: 5_000 },
];

export function startTestServer(config: SimConfigInput = {}): Promise<InferenceServer> {
  return startInferenceServer({ port: 0, config: { models: FAST_MODELS, tickMs: 2, ...config } });
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: unknown; [k: string]: unknown }[];
  [k: string]: unknown;
}

export function postChat(
  url: string,
  body: ChatBody | string,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into parsed chunks
export type Json = any;

export interface SseEvent {
  data: string;
  /** Parsed data, or null for `[DONE]`. */
  json: Json;
  /** ms since the request was sent (performance.now() based). */
  at: number;
}

export interface SseResult {
  events: SseEvent[];
  /** Set when the body failed mid-way (reset) or the caller aborted it. */
  error: Error | null;
  /** True when reading stopped because nothing arrived for `idleMs` (the body was then cancelled). */
  idle: boolean;
}

/**
 * Reads a streamed response to its end, or until `stopWhen` says so, or until nothing arrives for
 * `idleMs`; in the last two cases the body is cancelled (the server sees the client go away).
 */
export async function readSse(
  res: Response,
  startedAt: number,
  opts: { stopWhen?: (events: SseEvent[]) => boolean; idleMs?: number } = {},
): Promise<SseResult> {
  const events: SseEvent[] = [];
  const parser = createParser({
    onEvent: (ev) => {
      events.push({ data: ev.data, json: ev.data === "[DONE]" ? null : JSON.parse(ev.data), at: performance.now() - startedAt });
    },
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const IDLE = Symbol("idle");
  try {
    for (;;) {
      const next = reader.read();
      const result = opts.idleMs
        ? await Promise.race([next, new Promise<typeof IDLE>((r) => setTimeout(() => r(IDLE), opts.idleMs))])
        : await next;
      if (result === IDLE) {
        await reader.cancel();
        return { events, error: null, idle: true };
      }
      if (result.done) break;
      parser.feed(decoder.decode(result.value, { stream: true }));
      if (opts.stopWhen?.(events)) {
        await reader.cancel();
        break;
      }
    }
    return { events, error: null, idle: false };
  } catch (err) {
    return { events, error: err as Error, idle: false };
  }
}

/** POSTs a streaming request and reads all of it. */
export async function streamChat(
  url: string,
  body: ChatBody,
  headers?: Record<string, string>,
  opts: { stopWhen?: (events: SseEvent[]) => boolean; idleMs?: number } = {},
): Promise<SseResult & { status: number }> {
  const startedAt = performance.now();
  const res = await postChat(url, { ...body, stream: true }, { headers });
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    return { status: res.status, events: [], error: new Error(await res.text()), idle: false };
  }
  return { status: res.status, ...(await readSse(res, startedAt, opts)) };
}

/** The concatenated `delta.content` of a stream's chunks. */
export function contentOf(events: SseEvent[]): string {
  return events.map((e) => e.json?.choices?.[0]?.delta?.content ?? "").join("");
}

/** Chunks carrying one content token (the role chunk's empty content is not a token). */
export function tokenEvents(events: SseEvent[]): SseEvent[] {
  return events.filter((e) => typeof e.json?.choices?.[0]?.delta?.content === "string" && e.json.choices[0].delta.content !== "");
}

export const user = (content: string) => ({ role: "user", content });

export async function getStats(url: string): Promise<Json> {
  return (await fetch(`${url}/sim/stats`)).json();
}

/** Polls until `check` passes (engine state changes a tick after the socket event). */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 3_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (check(v) || performance.now() > until) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A metric's value from Prometheus text, e.g. metric(text, "vllm:num_requests_waiting", "fast"). */
export function metric(text: string, name: string, model: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(`model_name="${model}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}
