// The conversation export format (version 1), also accepted by import. One JSON document:
// { "format": "chatgate.export", "version": 1, "exported_at": ISO,
//   "conversations": [ { "id", "title", "model", "system_prompt", "created_at", "updated_at",
//       "is_archived", "current_message_id",
//       "messages": [ { "id", "parent_id", "role", "content", "model", "finish_reason", "created_at",
//                       "tool_calls"?, "tool_call_id"?, "tool_result"? } ] } ] }
// `messages` holds the whole tree (every branch); parent_id links it, current_message_id is the leaf
// of the branch that was on screen.
import { z } from "zod";
import { finishReasons, messageRoles } from "@/db/schema";

export const EXPORT_FORMAT = "chatgate.export";

export const exportedMessageSchema = z.object({
  id: z.string().min(1).max(100),
  parent_id: z.string().min(1).max(100).nullable(),
  role: z.enum(messageRoles),
  content: z.string().max(1_000_000),
  model: z.string().max(100).nullable().optional(),
  finish_reason: z.enum(finishReasons).nullable().optional(),
  created_at: z.iso.datetime({ offset: true }),
  /** A reply's tool steps (assistant with tool_calls → tool with tool_call_id and what the chat showed). */
  tool_calls: z
    .array(z.object({ id: z.string().max(200), type: z.literal("function"), function: z.object({ name: z.string().max(64), arguments: z.string().max(400_000) }) }))
    .max(128)
    .optional(),
  tool_call_id: z.string().max(200).optional(),
  tool_result: z.record(z.string(), z.unknown()).optional(),
});

export const exportedConversationSchema = z.object({
  id: z.string().max(100).optional(),
  title: z.string().max(500).nullable(),
  model: z.string().min(1).max(100),
  system_prompt: z.string().max(10_000).nullable().optional(),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
  is_archived: z.boolean().optional(),
  current_message_id: z.string().max(100).nullable(),
  messages: z.array(exportedMessageSchema).max(100_000),
});

export const exportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exported_at: z.string().optional(),
  conversations: z.array(exportedConversationSchema).max(100_000),
});

export type ExportedConversation = z.infer<typeof exportedConversationSchema>;
export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
