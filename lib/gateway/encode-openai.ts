// The programs' encoding of a reply's events: OpenAI chat.completion.chunk SSE, for the conversation
// API and /v1/chat/completions. Each chunk's id is the reply's id (the assistant message's, for a
// stored conversation); each event carries `id:` = its sequence number (for Last-Event-ID).
import type { FinishReason } from "@/lib/chat/types";
import type { LoggedReplyEvent } from "./pipeline/events";
import type { ReplyEncoder } from "./sse";

/** OpenAI has no "aborted"/"interrupted": a stopped reply ends like a finished one. */
const OPENAI_FINISH: Record<FinishReason, string> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
  error: "stop",
  aborted: "stop",
  interrupted: "stop",
};

export interface ChunkIdentity {
  id: string;
  /** Milliseconds since the epoch (the reply's start). */
  createdAt: number;
  /** The model named in every chunk (the one that answers). */
  model: string;
}

/**
 * includeUsage: OpenAI's stream_options.include_usage — a last chunk with empty choices and the usage.
 * ids: false for /v1/chat/completions, which is not resumable and keeps OpenAI's exact wire format.
 *
 * Tool calls are encoded as OpenAI streams them, `delta.tool_calls` with index, id, type and the
 * function's name and whole arguments, on both doors. On /v1/chat/completions they are the caller's
 * tools (the reply then ends with finish_reason "tool_calls" for the caller to answer). On the
 * conversation API they are the built-in tools the server runs itself: each call is numbered across
 * the reply's steps (so a client that merges deltas by index, as the openai SDK does, keeps every
 * call apart), and each result follows as a chunk with an empty delta and a `tool_result` field of
 * our own, which OpenAI clients ignore:
 *   {"tool_result": {"tool_call_id", "name", "is_error", "duration_ms", "display", "files": [{id, name, mime, size}]}}
 * (`display` and `files` as GET /v1/conversations/:id lists them in the tool message's tool_result).
 * The reply then goes on with the model's next turn and ends like any other (finish_reason "stop").
 */
export function openAiChunkEncoder(who: ChunkIdentity, opts: { includeUsage?: boolean; ids?: boolean } = {}): ReplyEncoder {
  const created = Math.floor(who.createdAt / 1000);
  const prefix = `{"id":${JSON.stringify(who.id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(who.model)},`;
  // Everything before the delta is the same in every chunk of this reply.
  const head = `data: ${prefix}"choices":[{"index":0,`;
  const ids = opts.ids !== false;
  const close = (seq: number) => (ids && seq > 0 ? `id: ${seq}\n\n` : "\n");
  return {
    encode({ seq, event: e }: LoggedReplyEvent): string {
      switch (e.type) {
        case "start":
          return `${head}"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n${close(seq)}`;
        case "text":
          return `${head}"delta":{"content":${JSON.stringify(e.text)}},"logprobs":null,"finish_reason":null}]}\n${close(seq)}`;
        case "tool-call": {
          const first = e.firstIndex ?? 0;
          const toolCalls = e.calls.map((c, i) => ({ index: first + i, id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
          return `${head}"delta":{"tool_calls":${JSON.stringify(toolCalls)}},"logprobs":null,"finish_reason":null}]}\n${close(seq)}`;
        }
        case "tool-result": {
          const result = { tool_call_id: e.toolCallId, name: e.name, is_error: e.isError, duration_ms: e.durationMs, display: e.display, files: e.files };
          return `${head}"delta":{},"logprobs":null,"finish_reason":null}],"tool_result":${JSON.stringify(result)}}\n${close(seq)}`;
        }
        case "end": {
          const last =
            e.finishReason === "error" || e.finishReason === "interrupted"
              ? `data: ${JSON.stringify({ error: { message: e.error ?? "The reply failed.", type: "upstream_error", code: "upstream_error" } })}\n`
              : `${head}"delta":{},"logprobs":null,"finish_reason":"${OPENAI_FINISH[e.finishReason]}"}]}\n`;
          const u = e.usage;
          const usage =
            opts.includeUsage && u
              ? `\ndata: ${prefix}"choices":[],"usage":${JSON.stringify({ prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens })}}\n`
              : "";
          return `${last}${usage}${close(seq)}data: [DONE]\n\n`;
        }
        default:
          return "";
      }
    },
  };
}
