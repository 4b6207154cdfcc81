// Import: our own export or ChatGPT's conversations.json, validated whole before anything is written.
import { z } from "zod";
import type { ImportConversation } from "@/db/queries/transfer";
import { errors } from "@/lib/errors";
import { chatGptExportSchema, convertChatGptConversation, ImportFormatError } from "./chatgpt";
import { exportDocumentSchema, type ExportedConversation } from "./format";

export type ImportSource = "chatgate" | "chatgpt";

function invalid(message: string) {
  return errors.badRequest(`This file cannot be imported: ${message}`, "invalid_import");
}

/** Per file: a bound on the work one request can start (the 50 MB body alone allowed ~300,000 chats). */
export const MAX_IMPORT_CONVERSATIONS = 10_000;
export const MAX_IMPORT_MESSAGES = 200_000;

/** PostgreSQL's text cannot hold NUL; old exports may, and that is no reason to refuse the file. */
const clean = (text: string) => (text.includes("\0") ? text.replaceAll("\0", "") : text);
const cleanOrNull = (text: string | null | undefined) => (text == null ? null : clean(text));

const MAX_MS = Date.UTC(10000, 0, 1);
/** A date PostgreSQL stores as given (1970–9999), else the fallback: year 0000 or 10000 is no reason to fail. */
function safeDate(iso: string, fallback: Date): Date {
  const d = new Date(iso);
  const t = d.getTime();
  return t >= 0 && t < MAX_MS ? d : fallback;
}

/** Orders a conversation's messages parents-first with their depth; rejects broken trees. */
function toImport(c: ExportedConversation, index: number): ImportConversation {
  const byId = new Map(c.messages.map((m) => [m.id, m]));
  if (byId.size !== c.messages.length) throw invalid(`conversation ${index + 1} repeats a message id.`);
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const chain: string[] = [];
    const onChain = new Set<string>(); // the cycle check in O(1): a long chain must not cost O(n²)
    let cur: string | null = id;
    while (cur !== null && !depth.has(cur)) {
      if (onChain.has(cur)) throw invalid(`conversation ${index + 1} has a cycle in its message tree.`);
      chain.push(cur);
      onChain.add(cur);
      const parent: string | null = byId.get(cur)!.parent_id;
      if (parent !== null && !byId.has(parent)) throw invalid(`conversation ${index + 1} has a message whose parent is missing.`);
      cur = parent;
    }
    let d = cur === null ? -1 : depth.get(cur)!;
    for (const node of chain.reverse()) depth.set(node, ++d);
    return depth.get(id)!;
  };
  const createdAt = safeDate(c.created_at, new Date());
  const messages = c.messages
    .map((m) => ({
      key: m.id,
      parentKey: m.parent_id,
      role: m.role,
      content: clean(m.content),
      model: cleanOrNull(m.model),
      finishReason: m.finish_reason ?? (m.role === "assistant" ? ("stop" as const) : null),
      toolCalls: m.tool_calls?.length ? m.tool_calls : null,
      toolCallId: m.tool_call_id ?? null,
      contentParts: m.role === "tool" && m.tool_result?.type === "tool_result" ? [m.tool_result] : null,
      createdAt: safeDate(m.created_at, createdAt),
      depth: depthOf(m.id),
    }))
    .sort((a, b) => a.depth - b.depth);
  if (c.current_message_id !== null && !byId.has(c.current_message_id)) {
    throw invalid(`conversation ${index + 1} names a current message it does not contain.`);
  }
  // No current leaf given: the newest message's branch.
  const newest = [...messages].sort((a, b) => +b.createdAt - +a.createdAt)[0];
  return {
    title: cleanOrNull(c.title),
    model: clean(c.model) || "gpt-4o",
    systemPrompt: cleanOrNull(c.system_prompt),
    createdAt,
    updatedAt: safeDate(c.updated_at, createdAt),
    isArchived: c.is_archived ?? false,
    currentKey: c.current_message_id ?? newest?.key ?? null,
    messages,
  };
}

export function parseImport(raw: unknown): { source: ImportSource; conversations: ImportConversation[] } {
  const parsed = parseDocument(raw);
  if (parsed.conversations.length > MAX_IMPORT_CONVERSATIONS) {
    throw invalid(`it holds ${parsed.conversations.length} chats; at most ${MAX_IMPORT_CONVERSATIONS} can be imported at once (split the file).`);
  }
  const count = parsed.conversations.reduce((n, c) => n + c.messages.length, 0);
  if (count > MAX_IMPORT_MESSAGES) {
    throw invalid(`it holds ${count} messages; at most ${MAX_IMPORT_MESSAGES} can be imported at once (split the file).`);
  }
  return parsed;
}

function parseDocument(raw: unknown): { source: ImportSource; conversations: ImportConversation[] } {
  if (Array.isArray(raw)) {
    if (raw.length > MAX_IMPORT_CONVERSATIONS) {
      throw invalid(`it holds ${raw.length} chats; at most ${MAX_IMPORT_CONVERSATIONS} can be imported at once (split the file).`);
    }
    const parsed = chatGptExportSchema.safeParse(raw);
    if (!parsed.success) throw invalid(`it looks like a ChatGPT export, but ${z.prettifyError(parsed.error).split("\n")[0]}`);
    try {
      return { source: "chatgpt", conversations: parsed.data.map(convertChatGptConversation).map(toImport) };
    } catch (err) {
      if (err instanceof ImportFormatError) throw invalid(err.message);
      throw err;
    }
  }
  const parsed = exportDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid("expected ChatGPT's conversations.json or an export from this app (format \"chatgate.export\").");
  }
  return { source: "chatgate", conversations: parsed.data.conversations.map(toImport) };
}
