// The /v1/chat/completions request as vLLM accepts it: the fields the simulator uses are validated,
// everything else is kept (loose objects) so echo mode can show what arrived. Parsed once per request.
import { z } from "zod";

const contentPart = z.looseObject({ type: z.string() });
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
});

const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
    ])
    .nullish(),
  n: z.number().int().nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest["messages"][number];
export type ChatTool = NonNullable<ChatRequest["tools"]>[number];

/** Parses a body; on failure returns a message naming the bad field (answered as a 400). */
export function parseChatRequest(body: unknown): { ok: true; req: ChatRequest } | { ok: false; message: string } {
  const parsed = chatRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, req: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? issue.path.join(".") : "body";
  return { ok: false, message: `${where}: ${issue.message}` };
}

/** The plain text of a message's content (text parts joined; other parts ignored). */
export function messageText(m: ChatMessage): string {
  if (typeof m.content === "string") return m.content;
  if (!m.content) return "";
  let text = "";
  for (const part of m.content) if (typeof part.text === "string") text += part.text;
  return text;
}

export function lastUserText(req: ChatRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    if (req.messages[i].role === "user") return messageText(req.messages[i]);
  }
  return "";
}

/**
 * Approximate prompt tokens: ~4 characters per token plus a few per message for the chat template.
 * The simulator deliberately does not use a real tokenizer: timing only needs the right magnitude,
 * and a BPE encoder would cost more CPU per request than the rest of the simulator.
 */
export function estimatePromptTokens(req: ChatRequest): number {
  let tokens = 3;
  for (const m of req.messages) {
    tokens += 4 + Math.ceil(messageText(m).length / 4);
    if (Array.isArray(m.content)) tokens += 85 * m.content.filter((p) => p.type !== "text").length;
    if (m.tool_calls) tokens += Math.ceil(JSON.stringify(m.tool_calls).length / 4);
  }
  if (req.tools?.length) tokens += Math.ceil(JSON.stringify(req.tools).length / 4);
  return tokens;
}
