// Import: our own export or ChatGPT's conversations.json, validated whole before anything is written.
import { z } from "zod";
import { importConversationsForUser, type ImportConversation } from "@/db/queries/transfer";
import { errors } from "@/lib/errors";
import { chatGptExportSchema, convertChatGptConversation, ImportFormatError } from "./chatgpt";
import { exportDocumentSchema, type ExportedConversation } from "./format";

export type ImportSource = "chatgate" | "chatgpt";

function invalid(message: string) {
  return errors.badRequest(`This file cannot be imported: ${message}`, "invalid_import");
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
  const messages = c.messages
    .map((m) => ({
      key: m.id,
      parentKey: m.parent_id,
      role: m.role,
      content: m.content,
      model: m.model ?? null,
      finishReason: m.finish_reason ?? (m.role === "assistant" ? ("stop" as const) : null),
      createdAt: new Date(m.created_at),
      depth: depthOf(m.id),
    }))
    .sort((a, b) => a.depth - b.depth);
  if (c.current_message_id !== null && !byId.has(c.current_message_id)) {
    throw invalid(`conversation ${index + 1} names a current message it does not contain.`);
  }
  // No current leaf given: the newest message's branch.
  const newest = [...messages].sort((a, b) => +b.createdAt - +a.createdAt)[0];
  return {
    title: c.title,
    model: c.model,
    systemPrompt: c.system_prompt ?? null,
    createdAt: new Date(c.created_at),
    updatedAt: new Date(c.updated_at),
    isArchived: c.is_archived ?? false,
    currentKey: c.current_message_id ?? newest?.key ?? null,
    messages,
  };
}

export function parseImport(raw: unknown): { source: ImportSource; conversations: ImportConversation[] } {
  if (Array.isArray(raw)) {
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

export async function importForUser(userId: string, raw: unknown) {
  const { source, conversations } = parseImport(raw);
  const ids = await importConversationsForUser({ userId, conversations });
  return { source, ids };
}
