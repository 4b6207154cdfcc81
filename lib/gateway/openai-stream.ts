// OpenAI chat.completion.chunk SSE, for the conversation API (and /v1/chat/completions). Each
// chunk's id is the assistant message's id.
import type { FinishReason } from "@/lib/chat/types";
import type { ReplyRun } from "./reply-run";
import { type ReplyEncoder, replyResponse, replySseStream, SSE_HEADERS } from "./sse";

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

/** includeUsage: OpenAI's stream_options.include_usage — a last chunk with empty choices and the usage. */
export function openAiChunkEncoder(run: ReplyRun, publicModel: string, opts: { includeUsage?: boolean } = {}): ReplyEncoder {
  const created = Math.floor(run.startedAt / 1000);
  // Everything before the delta is the same in every chunk of this reply.
  const head = `data: {"id":${JSON.stringify(run.id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(publicModel)},"choices":[{"index":0,`;
  return {
    open: () => `${head}"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`,
    delta: (text) => `${head}"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]}\n\n`,
    end(r) {
      const result = r.result!;
      const last =
        result.finishReason === "error" || result.finishReason === "interrupted"
          ? `data: ${JSON.stringify({ error: { message: result.error ?? "The reply failed.", type: "upstream_error", code: "upstream_error" } })}\n\n`
          : `${head}"delta":{},"logprobs":null,"finish_reason":"${OPENAI_FINISH[result.finishReason]}"}]}\n\n`;
      const u = result.usage;
      const usage =
        opts.includeUsage && u
          ? `data: {"id":${JSON.stringify(run.id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(publicModel)},"choices":[],"usage":${JSON.stringify({ prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens })}}\n\n`
          : "";
      return `${last}${usage}data: [DONE]\n\n`;
    },
  };
}

export function openAiChunkStream(run: ReplyRun, publicModel: string, opts: { includeUsage?: boolean } = {}): ReadableStream<Uint8Array> {
  return replySseStream(run, openAiChunkEncoder(run, publicModel, opts));
}

/** The route handlers' answer: streamed by Next, or written straight to the socket by scripts/server.ts. */
export function openAiChunkResponse(
  run: ReplyRun,
  publicModel: string,
  opts: { includeUsage?: boolean; headers?: Record<string, string> } = {},
): Response {
  return replyResponse(run, openAiChunkEncoder(run, publicModel, opts), { ...SSE_HEADERS, ...opts.headers });
}
