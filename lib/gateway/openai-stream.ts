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

export function openAiChunkEncoder(run: ReplyRun, publicModel: string): ReplyEncoder {
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
      return `${last}data: [DONE]\n\n`;
    },
  };
}

export function openAiChunkStream(run: ReplyRun, publicModel: string): ReadableStream<Uint8Array> {
  return replySseStream(run, openAiChunkEncoder(run, publicModel));
}

/** The route handlers' answer: streamed by Next, or written straight to the socket by scripts/server.ts. */
export function openAiChunkResponse(run: ReplyRun, publicModel: string): Response {
  return replyResponse(run, openAiChunkEncoder(run, publicModel), SSE_HEADERS);
}
