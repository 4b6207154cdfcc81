// The conversation export format (version 1), also accepted by import. One JSON document:
// { "format": "chatgate.export", "version": 1, "exported_at": ISO,
//   "conversations": [ { "id", "title", "model", "system_prompt", "created_at", "updated_at",
//       "is_archived", "current_message_id",
//       "messages": [ { "id", "parent_id", "role", "content", "model", "finish_reason", "created_at" } ] } ] }
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
