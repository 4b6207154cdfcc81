// Streams one chat completion from an OpenAI-compatible server (vLLM). undici's dispatch handler,
// not a body stream, async iteration or WHATWG TransformStreams: this runs once per token for every
// open reply, so it avoids a promise and a stream hop per token. Deltas that arrive in one network
// read are handed on together.
import { StringDecoder } from "node:string_decoder";
import { Agent, type Dispatcher, request } from "undici";
import { createParser } from "eventsource-parser";
import type { FinishReason } from "@/lib/chat/types";
import { processShared } from "@/lib/process-registry";

// One connection pool per process: the live-reply routes use it from the app server's graph, the
// safety model layer and background titles/summaries may from Next's (lib/process-registry.ts).
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    upstreamAgent: Agent;
  }
}
const upstreamAgent = () =>
  processShared("upstreamAgent", () => new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: null, pipelining: 1 }));

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
}

/** One tool call the model made, accumulated from its streamed deltas (vLLM: index, id and name first, argument fragments after). */
export interface UpstreamToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface UpstreamHandlers {
  onDelta(text: string): void;
  /** Tool-call deltas arrived (no text): the model has started answering. */
  onToolDelta?(): void;
  /**
   * Called once: with a finish reason, or with an error: `error` is for the user (generic), `detail`
   * (the server's own message, addresses) only for the log.
   */
  onEnd(result: UpstreamResult): void;
}

export interface UpstreamResult {
  finishReason: FinishReason;
  error?: string;
  detail?: string;
  usage?: UpstreamUsage;
  status?: number;
  /** The tool calls of a `tool_calls` finish, in index order. */
  toolCalls?: UpstreamToolCall[];
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

/** Error bodies of a failed upstream request are read up to this size for their message. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * Streams one completion through undici's dispatch API: the handler's onResponseData gets each
 * network read as a Buffer, with no Readable stream, event emitter or promise in between (the
 * per-token cost that matters at thousands of open replies).
 */
export function streamChatCompletion(req: UpstreamRequest, h: UpstreamHandlers): void {
  let ended = false;
  const end = (r: Parameters<UpstreamHandlers["onEnd"]>[0]) => {
    if (ended) return;
    ended = true;
    req.signal.removeEventListener("abort", onAbort);
    h.onEnd(r);
  };
  let finishReason: FinishReason | null = null;
  let usage: UpstreamUsage | undefined;
  let pending = "";
  let streamError: string | null = null;
  let toolCalls: UpstreamToolCall[] | null = null;
  let toolDelta = false;

  const parser = createParser({
    onEvent(ev) {
      if (ev.data === "[DONE]") return;
      let chunk: { choices?: { delta?: { content?: string | null; tool_calls?: ToolCallDelta[] | null }; finish_reason?: string | null }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } | null; error?: unknown };
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
        const calls = choice.delta?.tool_calls;
        if (calls) {
          toolCalls = accumulateToolCalls(toolCalls ?? [], calls);
          toolDelta = true;
        }
        if (choice.finish_reason) finishReason = FINISH[choice.finish_reason] ?? "stop";
      }
      if (chunk.usage) {
        usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
      }
    },
  });

  let controller: Dispatcher.DispatchController | null = null;
  let status = 0;
  let errorBody = "";
  const decoder = new StringDecoder("utf8"); // a token's UTF-8 bytes may straddle two reads
  function onAbort(): void {
    end({ finishReason: "aborted", usage });
    controller?.abort(new Error("aborted"));
  }
  if (req.signal.aborted) return void end({ finishReason: "aborted" });
  req.signal.addEventListener("abort", onAbort, { once: true });

  const url = new URL(`${req.baseUrl.replace(/\/$/, "")}/v1/chat/completions`);
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (ended) c.abort(new Error("aborted"));
    },
    onResponseStart(_c, statusCode) {
      status = statusCode;
    },
    onResponseData(c, data) {
      if (ended) return;
      if (status >= 400) {
        if (errorBody.length < MAX_ERROR_BODY) errorBody += decoder.write(data);
        return;
      }
      parser.feed(decoder.write(data));
      if (toolDelta) {
        toolDelta = false;
        h.onToolDelta?.();
      }
      if (pending) {
        const text = pending;
        pending = "";
        h.onDelta(text);
      }
      if (streamError) {
        end({ finishReason: "error", error: "The model server failed mid-reply.", detail: `error frame: ${streamError}` });
        c.abort(new Error("upstream error frame"));
      }
    },
    onResponseEnd() {
      if (status >= 400) {
        let message: string | null = null;
        try {
          message = upstreamErrorMessage(JSON.parse(errorBody + decoder.end()));
        } catch {
          message = null;
        }
        end({ finishReason: "error", error: "The model server answered with an error.", detail: `status ${status}${message ? `: ${message}` : ""}`, status });
      } else if (finishReason) end({ finishReason, usage, ...(toolCalls && { toolCalls: toolCalls.filter(Boolean) }) });
      else end({ finishReason: "error", error: "The model's reply ended unexpectedly." });
    },
    onResponseError(_c, err) {
      if (req.signal.aborted) end({ finishReason: "aborted", usage });
      else if (status) end({ finishReason: "error", error: "The connection to the model server broke.", detail: err.message });
      else end({ finishReason: "error", error: "Could not reach the model server.", detail: err.message });
    },
  };
  try {
    upstreamAgent().dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(req.body),
        headersTimeout: req.headersTimeoutMs,
        bodyTimeout: 0, // stalls are detected by the gateway's ticker, which also sends heartbeats
      },
      handler,
    );
  } catch (err) {
    end({ finishReason: "error", error: "Could not reach the model server.", detail: (err as Error).message });
  }
}

interface ToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** Adds one chunk's tool-call deltas to the calls so far, by index (argument fragments are concatenated). */
export function accumulateToolCalls(calls: UpstreamToolCall[], deltas: ToolCallDelta[]): UpstreamToolCall[] {
  for (const d of deltas) {
    const i = typeof d.index === "number" && d.index >= 0 && d.index < 128 ? d.index : calls.length;
    const call = (calls[i] ??= { id: "", name: "", arguments: "" });
    if (d.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.arguments += d.function.arguments;
  }
  return calls;
}

/** A non-streamed completion, for background work (summaries, titles). Returns the reply text. */
export async function completeChat(req: { baseUrl: string; body: Record<string, unknown>; timeoutMs: number }): Promise<string> {
  const res = await request(`${req.baseUrl.replace(/\/$/, "")}/v1/chat/completions`, {
    method: "POST",
    dispatcher: upstreamAgent(),
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
