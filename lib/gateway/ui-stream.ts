// The AI SDK UI message stream (SSE) that useChat reads, for the browser's chat routes.
import type { FinishReason } from "@/lib/chat/types";
import type { ReplyRun } from "./reply-run";
import { type ReplyEncoder, replyResponse, replySseStream, SSE_HEADERS } from "./sse";

export const UI_STREAM_HEADERS = { ...SSE_HEADERS, "x-vercel-ai-ui-message-stream": "v1" } as const;

const UI_FINISH: Record<FinishReason, string> = {
  stop: "stop",
  length: "length",
  content_filter: "content-filter",
  tool_calls: "tool-calls",
  error: "error",
  aborted: "other",
  interrupted: "other",
};

const TEXT_ID = "text";

function sse(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

export function endEvents(run: Pick<ReplyRun, "model" | "result">): string {
  const r = run.result;
  if (!r) return "";
  const metadata = { model: run.model, finishReason: r.finishReason, error: r.error ?? null };
  let out = sse({ type: "text-end", id: TEXT_ID }) + sse({ type: "message-metadata", messageMetadata: metadata });
  if (r.finishReason === "error" || r.finishReason === "interrupted") {
    out += sse({ type: "error", errorText: r.error ?? "The reply failed." });
  } else {
    out += sse({ type: "finish", finishReason: UI_FINISH[r.finishReason], messageMetadata: metadata });
  }
  return out + "data: [DONE]\n\n";
}

export function uiMessageEncoder(run: ReplyRun, parentId: string | null): ReplyEncoder {
  return {
    open: () =>
      sse({ type: "start", messageId: run.id, messageMetadata: { model: run.model, parentId, finishReason: null, context: run.context, limitNotice: run.limitNotice, crisisResources: run.crisisResources } }) +
      sse({ type: "text-start", id: TEXT_ID }),
    delta: (text) => `data: {"type":"text-delta","id":"${TEXT_ID}","delta":${JSON.stringify(text)}}\n\n`,
    end: endEvents,
  };
}

export function uiMessageStream(run: ReplyRun, parentId: string | null): ReadableStream<Uint8Array> {
  return replySseStream(run, uiMessageEncoder(run, parentId));
}

/** The route handlers' answer: streamed by Next, or written straight to the socket by scripts/server.ts. */
export function uiMessageResponse(run: ReplyRun, parentId: string | null): Response {
  return replyResponse(run, uiMessageEncoder(run, parentId), UI_STREAM_HEADERS);
}
