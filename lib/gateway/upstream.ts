// Streams one chat completion from an OpenAI-compatible server (vLLM). Event listeners on a Node
// stream, not async iteration or WHATWG TransformStreams: this runs once per token for every open
// reply, so it avoids a promise and a stream hop per token. Deltas that arrive in one network read
// are handed on together.
import { StringDecoder } from "node:string_decoder";
import { Agent, request } from "undici";
import { createParser } from "eventsource-parser";
import type { FinishReason } from "@/lib/chat/types";

const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: null, pipelining: 1 });

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface UpstreamHandlers {
  onDelta(text: string): void;
  /** Called once: with a finish reason, or with an error message for the user. */
  onEnd(result: { finishReason: FinishReason; error?: string; usage?: UpstreamUsage; status?: number }): void;
}

export interface UpstreamRequest {
  baseUrl: string;
  body: Record<string, unknown>;
  signal: AbortSignal;
  headersTimeoutMs: number;
}

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
  function_call: "tool_calls",
  abort: "aborted",
};

/** vLLM sends `{"error": {...}}` frames (code an integer or a string) and error bodies of either shape. */
export function upstreamErrorMessage(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const p = payload as { error?: unknown; object?: unknown };
  const e = p.error ?? (p.object === "error" ? p : null);
  if (!e) return null;
  if (typeof e === "string") return e;
  const msg = (e as { message?: unknown }).message;
  return typeof msg === "string" ? msg : "upstream error";
}

export function streamChatCompletion(req: UpstreamRequest, h: UpstreamHandlers): void {
  let ended = false;
  const end = (r: Parameters<UpstreamHandlers["onEnd"]>[0]) => {
    if (ended) return;
    ended = true;
    h.onEnd(r);
  };
  let finishReason: FinishReason | null = null;
  let usage: UpstreamUsage | undefined;
  let pending = "";
  let streamError: string | null = null;

  const parser = createParser({
    onEvent(ev) {
      if (ev.data === "[DONE]") return;
      let chunk: { choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } | null; error?: unknown };
      try {
        chunk = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (chunk.error) {
        streamError = upstreamErrorMessage(chunk) ?? "upstream error";
        return;
      }
      const choice = chunk.choices?.[0];
      if (choice) {
        const text = choice.delta?.content;
        if (text) pending += text;
        if (choice.finish_reason) finishReason = FINISH[choice.finish_reason] ?? "stop";
      }
      if (chunk.usage) {
        usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
      }
    },
  });

  request(`${req.baseUrl.replace(/\/$/, "")}/v1/chat/completions`, {
    method: "POST",
    dispatcher: agent,
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(req.body),
    signal: req.signal,
    headersTimeout: req.headersTimeoutMs,
    bodyTimeout: 0, // stalls are detected by the gateway's ticker, which also sends heartbeats
  }).then(
    (res) => {
      if (res.statusCode >= 400) {
        res.body.text().then(
          (text) => {
            let message: string | null = null;
            try {
              message = upstreamErrorMessage(JSON.parse(text));
            } catch {
              message = null;
            }
            end({
              finishReason: "error",
              error: `The model server answered ${res.statusCode}${message ? `: ${message}` : ""}.`,
              status: res.statusCode,
            });
          },
          () => end({ finishReason: "error", error: `The model server answered ${res.statusCode}.`, status: res.statusCode }),
        );
        return;
      }
      const body = res.body;
      const decoder = new StringDecoder("utf8"); // a token's UTF-8 bytes may straddle two reads
      body.on("data", (data: Buffer) => {
        parser.feed(decoder.write(data));
        if (pending) {
          const text = pending;
          pending = "";
          h.onDelta(text);
        }
        if (streamError) {
          end({ finishReason: "error", error: `The model server failed mid-reply: ${streamError}` });
          body.destroy();
        }
      });
      body.on("end", () => {
        if (finishReason) end({ finishReason, usage });
        else end({ finishReason: "error", error: "The model's reply ended unexpectedly." });
      });
      body.on("error", (err: Error) => {
        if (req.signal.aborted) end({ finishReason: "aborted", usage });
        else end({ finishReason: "error", error: `The connection to the model server broke (${err.message}).` });
      });
    },
    (err: Error) => {
      if (req.signal.aborted) end({ finishReason: "aborted" });
      else end({ finishReason: "error", error: `Could not reach the model server (${err.message}).` });
    },
  );
}

/** A non-streamed completion, for background work (summaries, titles). Returns the reply text. */
export async function completeChat(req: { baseUrl: string; body: Record<string, unknown>; timeoutMs: number }): Promise<string> {
  const res = await request(`${req.baseUrl.replace(/\/$/, "")}/v1/chat/completions`, {
    method: "POST",
    dispatcher: agent,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...req.body, stream: false }),
    headersTimeout: req.timeoutMs,
    bodyTimeout: req.timeoutMs,
  });
  const json = (await res.body.json()) as { choices?: { message?: { content?: string | null } }[] };
  if (res.statusCode >= 400) throw new Error(`upstream ${res.statusCode}: ${upstreamErrorMessage(json) ?? "error"}`);
  const text = json.choices?.[0]?.message?.content;
  if (typeof text !== "string") throw new Error("upstream reply had no text");
  return text;
}
