// ChatGPT's data export (conversations.json): an array of conversations, each a `mapping` of nodes
// { id, message | null, parent, children } plus `current_node`. Converted to our export shape, keeping
// every branch, titles and timestamps. Hidden nodes (the empty root, empty system messages, tool and
// non-text parts) are dropped and their children re-attached to the nearest kept ancestor.
import { z } from "zod";
import type { ExportedConversation, ExportedMessage } from "./format";

const nodeSchema = z.object({
  id: z.string(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
  message: z
    .object({
      id: z.string(),
      author: z.object({ role: z.string() }),
      create_time: z.number().nullable().optional(),
      content: z.object({ content_type: z.string(), parts: z.array(z.unknown()).optional(), text: z.string().optional() }),
      metadata: z.object({ model_slug: z.string().optional(), is_visually_hidden_from_conversation: z.boolean().optional() }).passthrough().optional(),
    })
    .passthrough()
    .nullable()
    .optional(),
});

type ChatGptNode = z.infer<typeof nodeSchema>;

/**
 * The mapping as a Map. Every id in the file is data, never a property name: with a plain object,
 * a node or parent called "__proto__", "constructor" or "toString" either vanished into the
 * prototype (zod's record assigns keys one by one) or "existed" as a built-in, so a broken file
 * passed the parent check. JSON.parse keeps "__proto__" as an own key, which Object.entries lists.
 */
const mappingSchema = z.unknown().transform((value, ctx): Map<string, ChatGptNode> => {
  const map = new Map<string, ChatGptNode>();
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "mapping must be an object of message nodes" });
    return z.NEVER;
  }
  for (const [key, raw] of Object.entries(value)) {
    const node = nodeSchema.safeParse(raw);
    if (!node.success) {
      ctx.addIssue({ code: "custom", message: `mapping node ${JSON.stringify(key.slice(0, 40))} is not a message node`, path: [key] });
      return z.NEVER;
    }
    map.set(key, node.data);
  }
  return map;
});

export const chatGptConversationSchema = z.object({
  title: z.string().nullable().optional(),
  create_time: z.number(),
  update_time: z.number().nullable().optional(),
  mapping: mappingSchema,
  current_node: z.string().nullable().optional(),
  default_model_slug: z.string().nullable().optional(),
  is_archived: z.boolean().optional(),
});

export const chatGptExportSchema = z.array(chatGptConversationSchema).max(100_000);

/** The latest time PostgreSQL and ISO strings agree on (year 9999); Dates past it serialise as "+010000-…". */
const MAX_MS = Date.UTC(10000, 0, 1);

/** A Unix time in seconds as ISO, when it is a real date from 1970 to 9999 (1e20, -1e20, year 0000 are not). */
export function isoFromSeconds(seconds: number | null | undefined): string | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return null;
  const ms = seconds * 1000;
  return ms >= 0 && ms < MAX_MS ? new Date(ms).toISOString() : null;
}

/** A message's or conversation's time, else the conversation's, else now: never a throw on a wild number. */
const iso = (seconds: number | null | undefined, fallback: number) =>
  isoFromSeconds(seconds) ?? isoFromSeconds(fallback) ?? new Date().toISOString();

function textOf(content: { content_type: string; parts?: unknown[]; text?: string }): string | null {
  if (content.content_type === "text" || content.content_type === "multimodal_text") {
    const text = (content.parts ?? []).filter((p): p is string => typeof p === "string").join("\n");
    return text;
  }
  if (content.content_type === "code" && content.text) return "```\n" + content.text + "\n```";
  return null;
}

/** A structurally broken export (dangling references); the message says what, for the user. */
export class ImportFormatError extends Error {}

export function convertChatGptConversation(conv: z.infer<typeof chatGptConversationSchema>, index: number): ExportedConversation {
  const nodes = conv.mapping;
  for (const node of nodes.values()) {
    if (node.parent && !nodes.has(node.parent)) throw new ImportFormatError(`conversation ${index + 1} has a message whose parent is missing.`);
  }
  if (conv.current_node && !nodes.has(conv.current_node)) {
    throw new ImportFormatError(`conversation ${index + 1} names a current message it does not contain.`);
  }
  const kept = new Map<string, ExportedMessage>();
  const keep = (nodeId: string): boolean => {
    const m = nodes.get(nodeId)?.message;
    if (!m || m.metadata?.is_visually_hidden_from_conversation) return false;
    const role = m.author.role;
    if (role !== "user" && role !== "assistant") return false; // system prompts and tool traffic stay out
    const text = textOf(m.content);
    return text !== null && text.trim() !== "";
  };
  // Memoized: every node's nearest kept ancestor is found once, so a long run of hidden nodes is
  // walked once, not once per node below it (O(n), not O(n²)).
  const ancestor = new Map<string, string | null>();
  const keptAncestor = (nodeId: string | null | undefined): string | null => {
    const walked: string[] = [];
    let found: string | null = null;
    for (let id = nodeId, guard = 0; id && guard < 100_000; id = nodes.get(id)?.parent, guard++) {
      const known = ancestor.get(id);
      if (known !== undefined) {
        found = known;
        break;
      }
      if (keep(id)) {
        found = id;
        break;
      }
      walked.push(id);
    }
    for (const id of walked) ancestor.set(id, found);
    return found;
  };
  for (const [nodeId, node] of nodes) {
    if (!keep(nodeId)) continue;
    const m = node.message!;
    kept.set(nodeId, {
      id: nodeId,
      parent_id: keptAncestor(node.parent),
      role: m.author.role as "user" | "assistant",
      content: textOf(m.content) ?? "",
      model: m.author.role === "assistant" ? (m.metadata?.model_slug ?? conv.default_model_slug ?? null) : null,
      finish_reason: m.author.role === "assistant" ? "stop" : null,
      created_at: iso(m.create_time, conv.create_time),
    });
  }
  return {
    title: conv.title ?? null,
    model: conv.default_model_slug ?? "gpt-4o",
    system_prompt: null,
    created_at: iso(conv.create_time, conv.create_time),
    updated_at: iso(conv.update_time, conv.create_time),
    is_archived: conv.is_archived ?? false,
    current_message_id: keptAncestor(conv.current_node),
    messages: [...kept.values()],
  };
}
