// What the browser sends to POST /api/chat: only the new message (or what to regenerate), never the
// history — the server owns the conversation tree.
import type { ChatRequestBody, ChatUIMessage } from "@/lib/chat/types";

export function messageText(message: Pick<ChatUIMessage, "parts">): string {
  let text = "";
  for (const part of message.parts) if (part.type === "text") text += part.text;
  return text;
}

/** An assistant reply with no finish reason yet: still streaming, or left unfinished. */
export function isUnfinishedReply(m: ChatUIMessage | undefined): boolean {
  return m?.role === "assistant" && (m.metadata?.finishReason ?? null) === null;
}

export function buildChatRequest({
  id,
  model,
  messages,
  trigger,
  parentId,
}: {
  id: string;
  model: string;
  messages: readonly ChatUIMessage[];
  trigger: "submit-message" | "regenerate-message";
  /** An edit: the parent of the new user message (null: a new first message). */
  parentId?: string | null;
}): ChatRequestBody {
  if (trigger === "regenerate-message") {
    // useChat has already dropped the reply being replaced, so the last user message is the one it answered.
    const question = messages.findLast((m) => m.role === "user");
    if (!question) throw new Error("There is no message to answer.");
    return { id, model, regenerateFrom: question.id };
  }
  const last = messages.at(-1);
  if (!last || last.role !== "user") throw new Error("There is no new message to send.");
  const attachments = last.metadata?.attachments?.map((a) => ({ id: a.file_id, pageLimit: a.page_limit ?? null }));
  const message = { id: last.id, text: messageText(last), ...(attachments?.length ? { attachments } : {}) };
  return { id, model, message, ...(parentId !== undefined ? { parentId } : {}) };
}

/** Turns a failed request into words for the user. The AI SDK puts the response body in `message`. */
/** The server refused the message itself (safety layer): sending it again would not help. */
export function isContentFilterError(error: Error): boolean {
  return /"code"\s*:\s*"content_filter"/.test(error.message ?? "");
}

export function describeChatError(error: Error): string {
  const raw = (error.message ?? "").trim();
  if (raw.startsWith("{")) {
    try {
      const body: unknown = JSON.parse(raw);
      if (body && typeof body === "object" && "error" in body) {
        const inner = (body as { error: unknown }).error;
        if (inner && typeof inner === "object" && "message" in inner && typeof inner.message === "string" && inner.message) {
          return inner.message;
        }
        if (typeof inner === "string" && inner) return inner;
      }
    } catch {
      // not JSON after all
    }
  }
  if (error.name === "TypeError" || /failed to fetch|networkerror|load failed|network request failed/i.test(raw)) {
    return "Couldn’t reach the server. Check your connection and try again.";
  }
  if (!raw || raw.length > 400 || raw.startsWith("<")) return "Something went wrong. Try again.";
  return raw;
}
