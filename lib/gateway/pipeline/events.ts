// What a reply is made of: an append-only list of events (DESIGN §1 step 8). The generating instance
// appends them to the reply's event log (lib/live) and every attached client reads the same events,
// each with its sequence number, encoded by its front door (encode-ui.ts, encode-openai.ts).
// Tool steps are events too (`tool-call`, `tool-result`), so they stream, resume and survive a
// disconnect like text; an encoder that does not know a kind skips it.
import type { ContextInfo } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import type { LoggedEvent } from "@/lib/live/types";
import type { ToolDisplay } from "@/lib/tools/types";

export interface ToolCallInfo {
  id: string;
  name: string;
  /** The arguments as the model wrote them (a JSON string; may be invalid: the result says so). */
  arguments: string;
}

/** A file a tool produced, as stored (lib/files): the UI links it, images inline. */
export interface ToolFile {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface ReplyUsage {
  promptTokens: number;
  completionTokens: number;
}

export type ReplyEvent =
  /** Always first: what the reply is and hangs under. */
  | {
      type: "start";
      messageId: string;
      parentId: string | null;
      model: string;
      createdAt: number;
      context: ContextInfo;
      limitNotice: LimitNotice | null;
      /** The user's message showed self-harm intent (a safe completion): crisis resources go beside the reply. */
      crisisResources: boolean;
    }
  /** Text the user may see now (already past output moderation). */
  | { type: "text"; text: string }
  /** The model asked for tools (step = 1, 2, …). For the public API these are the caller's tools: returned, never run. */
  | {
      type: "tool-call";
      step: number;
      calls: ToolCallInfo[];
      /** Calls in the reply's earlier steps: the OpenAI encoding numbers calls across the whole reply (absent: 0). */
      firstIndex?: number;
    }
  /** One call's result: what the UI shows (`display`), the stored files; `last` closes the step. */
  | { type: "tool-result"; step: number; toolCallId: string; name: string; isError: boolean; durationMs: number; display: ToolDisplay; files: ToolFile[]; last: boolean }
  /** Always last: the final state, as saved. `error` is a generic message for the user (never upstream detail). */
  | { type: "end"; finishReason: FinishReason; error: string | null; model: string; usage: ReplyUsage | null };

export type LoggedReplyEvent = LoggedEvent<ReplyEvent>;

export type EndEvent = Extract<ReplyEvent, { type: "end" }>;
