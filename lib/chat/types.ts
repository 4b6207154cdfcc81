// Shapes shared by the chat UI and the gateway's UI message stream (AI SDK UIMessage protocol).
import type { UIMessage } from "ai";
import type { FinishReason } from "@/db/enums";
import type { AttachmentPart } from "@/lib/files/types";

// The messages table's finish reasons: one list for the column, the APIs and the UI.
export { finishReasons as FINISH_REASONS } from "@/db/enums";
export type { FinishReason };

export interface ChatMessageMetadata {
  /** Catalog model id that answered (assistant) or was asked (user). */
  model?: string | null;
  /** Null while the reply is still streaming. */
  finishReason?: FinishReason | null;
  /** Why a reply is partial (upstream failure, interruption), in words for the user. */
  error?: string | null;
  parentId?: string | null;
  createdAt?: string;
  /** How the prompt for this reply was fitted to the model's window (assistant replies only). */
  context?: { omitted: number; summarized: boolean } | null;
  /** A reply with tool steps: the id of its chain's first message, which is what `siblingIds` lists. */
  versionId?: string;
  /** This message's versions (edits, regenerations), oldest first, itself included. */
  siblingIds?: string[];
  /** A usage limit sent this reply to the fallback model (live replies only; not stored). */
  limitNotice?: { model: string; modelLabel: string; fallbackModel: string; fallbackLabel: string; resetAt: string } | null;
  /** The user message showed self-harm intent: crisis resources are shown beside the reply (stored with the reply's context, so a reload shows them too). */
  crisisResources?: boolean;
  /** The signed-in user's vote on this reply (assistant replies only). */
  feedback?: "good" | "bad" | null;
  /** Files sent with this message (user messages; lib/files). */
  attachments?: AttachmentPart[];
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata>;

/** Body of POST /api/chat. */
export interface ChatRequestBody {
  /** Conversation id; an unknown id creates the conversation for the caller. */
  id: string;
  model: string;
  /** A new user message. Omitted when regenerating. */
  message?: { id: string; text: string; attachments?: { id: string; pageLimit?: number | null }[] };
  /** Parent of the new user message (branching); omitted = the conversation's current leaf. */
  parentId?: string | null;
  /** Regenerate: a new assistant reply under this user message. */
  regenerateFrom?: string;
}

/** A tool step's output in the UI (a dynamic-tool part's `output`), live (encode-ui.ts) or saved. */
export interface ToolStepOutput {
  /** lib/tools ToolDisplay; null for a tool message without one (an imported chat). */
  display: unknown;
  files: { id: string; name: string; mime: string; size: number }[];
  isError: boolean;
  durationMs: number;
  /** What the model saw, when there is no display. */
  content?: string;
}
