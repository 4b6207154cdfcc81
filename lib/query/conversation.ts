// One conversation's settings: PATCH /v1/conversations/:id (DESIGN §5).
import { requestJson } from "./api-error";

/** Mirrors the route's limit, so the browser stops typing where the server would refuse. */
export const SYSTEM_PROMPT_MAX = 10_000;

export interface ConversationPatch {
  title?: string;
  /** Null (or empty, which the server stores as null) removes the chat's system prompt. */
  system_prompt?: string | null;
  model?: string;
  archived?: boolean;
}

/** The fields of the conversation JSON the UI reads back. */
export interface ConversationJson {
  id: string;
  title: string | null;
  model: string;
  system_prompt: string | null;
}

export function updateConversation(id: string, patch: ConversationPatch): Promise<ConversationJson> {
  return requestJson<ConversationJson>(`/v1/conversations/${encodeURIComponent(id)}`, {
    method: "PATCH",
    body: patch,
    failure: "Couldn’t save the chat settings",
  });
}
