// Encodes a reply as the AI SDK UI message stream (SSE) that useChat reads. Each event is one
// pre-built string and one enqueue; no TransformStream chain per token.
import type { FinishReason } from "@/lib/chat/types";
import type { ReplyRun, ReplySubscriber } from "./reply-run";

export const UI_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
  "x-vercel-ai-ui-message-stream": "v1",
} as const;

const UI_FINISH: Record<FinishReason, string> = {
  stop: "stop",
  length: "length",
  content_filter: "content-filter",
  tool_calls: "tool-calls",
  error: "error",
  aborted: "other",
  interrupted: "other",
};

const encoder = new TextEncoder();
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

/** A Response body that follows a live reply (replaying what exists) until it ends or the client leaves. */
export function uiMessageStream(run: ReplyRun, parentId: string | null): ReadableStream<Uint8Array> {
  let detach: (() => void) | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (s: string) => {
        if (!open) return;
        sub.lastWriteAt = Date.now();
        controller.enqueue(encoder.encode(s));
      };
      const sub: ReplySubscriber = {
        lastWriteAt: Date.now(),
        delta(text) {
          write(`data: {"type":"text-delta","id":"${TEXT_ID}","delta":${JSON.stringify(text)}}\n\n`);
        },
        end(r) {
          write(endEvents(r));
          open = false;
          controller.close();
        },
        heartbeat() {
          write(": keep-alive\n\n");
        },
      };
      write(
        sse({
          type: "start",
          messageId: run.id,
          messageMetadata: { model: run.model, parentId, finishReason: null, context: run.context },
        }) +
          sse({ type: "text-start", id: TEXT_ID }),
      );
      detach = run.subscribe(sub);
    },
    cancel() {
      // The browser went away: detach only. The reply keeps generating and is saved.
      detach?.();
    },
  });
}
