// What a reply is made of: an append-only list of events (DESIGN §1 step 8). The generating instance
// appends them to the reply's event log (lib/live) and every attached client reads the same events,
// each with its sequence number, encoded by its front door (encode-ui.ts, encode-openai.ts).
// New kinds slot in here (tool steps, files and images: `tool-call`, `tool-result`, `file`); an
// encoder that does not know a kind skips it, so older clients and doors keep working.
import type { ContextInfo } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import type { LoggedEvent } from "@/lib/live/types";

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
  /** Always last: the final state, as saved. `error` is a generic message for the user (never upstream detail). */
  | { type: "end"; finishReason: FinishReason; error: string | null; model: string; usage: ReplyUsage | null };

export type LoggedReplyEvent = LoggedEvent<ReplyEvent>;

export type EndEvent = Extract<ReplyEvent, { type: "end" }>;
