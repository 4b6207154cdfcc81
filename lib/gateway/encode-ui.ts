// The browser's encoding of a reply's events: the AI SDK UI message stream (SSE) that useChat reads.
// Every event carries `id:` = its sequence number, so a client resumes with Last-Event-ID.
import type { FinishReason } from "@/lib/chat/types";
import type { LoggedReplyEvent } from "./pipeline/events";
import { SSE_HEADERS, type ReplyEncoder } from "./sse";

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

const data = (obj: unknown) => `data: ${JSON.stringify(obj)}\n`;
/** Closes one SSE event; seq 0 (a reply rebuilt from its saved row) carries no id. */
const close = (seq: number) => (seq > 0 ? `id: ${seq}\n\n` : "\n");

export function uiMessageEncoder(): ReplyEncoder {
  return {
    encode({ seq, event: e }: LoggedReplyEvent): string {
      switch (e.type) {
        case "start": {
          const messageMetadata = { model: e.model, parentId: e.parentId, finishReason: null, context: e.context, limitNotice: e.limitNotice, crisisResources: e.crisisResources };
          return `${data({ type: "start", messageId: e.messageId, messageMetadata })}\n${data({ type: "text-start", id: TEXT_ID })}${close(seq)}`;
        }
        case "text":
          return `data: {"type":"text-delta","id":"${TEXT_ID}","delta":${JSON.stringify(e.text)}}\n${close(seq)}`;
        // A tool step: the text part so far closes, the calls and their results become tool parts
        // (dynamic: the UI knows them by name), and after the step's last result a new text part opens.
        case "tool-call": {
          let out = `${data({ type: "text-end", id: TEXT_ID })}\n`;
          for (const c of e.calls) {
            out += `${data({ type: "tool-input-available", toolCallId: c.id, toolName: c.name, input: parseArgs(c.arguments), dynamic: true })}\n`;
          }
          return `${out.slice(0, -1)}${close(seq)}`;
        }
        case "tool-result": {
          const output = { display: e.display, files: e.files, isError: e.isError, durationMs: e.durationMs };
          const result = data({ type: "tool-output-available", toolCallId: e.toolCallId, output, dynamic: true });
          return `${result}${e.last ? `\n${data({ type: "text-start", id: TEXT_ID })}` : ""}${close(seq)}`;
        }
        case "end": {
          const metadata = { model: e.model, finishReason: e.finishReason, error: e.error };
          let out = `${data({ type: "text-end", id: TEXT_ID })}\n${data({ type: "message-metadata", messageMetadata: metadata })}\n`;
          out +=
            e.finishReason === "error" || e.finishReason === "interrupted"
              ? data({ type: "error", errorText: e.error ?? "The reply failed." })
              : data({ type: "finish", finishReason: UI_FINISH[e.finishReason], messageMetadata: metadata });
          return `${out}${close(seq)}data: [DONE]\n\n`;
        }
        default:
          return ""; // a kind this encoding does not show
      }
    },
  };
}

/** The model's arguments as an object when they parse (shown in the step), else the raw text. */
function parseArgs(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
