import { z } from "zod";
import { type ContentPart, contentPartSchema } from "@/lib/files/api-parts";

// OpenAI's content may be a string or an array of parts: text, image_url (data URLs) and file parts
// (lib/files/api-parts.ts turns the latter two into what goes upstream).
const content = z.union([z.string().max(400_000), z.array(contentPartSchema).max(100)]);

const toolCall = z.object({
  id: z.string().min(1).max(200),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1).max(64), arguments: z.string().max(400_000) }),
});

const message = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant", "tool"]),
    content: content.nullable().optional(),
    name: z.string().max(64).optional(),
    /** An assistant message's calls of the caller's tools (sent back with their results). */
    tool_calls: z.array(toolCall).max(128).optional(),
    /** A tool message answers this call. */
    tool_call_id: z.string().min(1).max(200).optional(),
  })
  .refine((m) => m.role !== "tool" || m.tool_call_id !== undefined, { message: "A tool message needs tool_call_id.", path: ["tool_call_id"] });

// The caller's own tools: passed to the model; its calls come back to the caller, nothing runs here.
const tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -, at most 64"),
    description: z.string().max(10_000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1).max(64) }) }),
]);

// Unknown fields are dropped, as clients send options this gateway does not implement (logprobs, …).
export const completionRequestSchema = z.object({
  model: z.string().min(1).max(100),
  messages: z.array(message).min(1, "messages must not be empty").max(2_000),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
  n: z.literal(1, "Only n=1 is supported.").nullable().optional(),
  user: z.string().max(256).optional(),
  tools: z.array(tool).max(128).nullable().optional(),
  tool_choice: toolChoice.nullable().optional(),
});

export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export function messageText(c: z.infer<typeof content> | null | undefined): string {
  if (c == null) return "";
  return typeof c === "string" ? c : c.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/** The image and file parts of a message's content (none for a string). */
export function fileParts(c: z.infer<typeof content> | null | undefined): ContentPart[] | null {
  return Array.isArray(c) && c.some((p) => p.type !== "text") ? c : null;
}
