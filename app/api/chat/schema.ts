import { z } from "zod";

export const chatRequestSchema = z
  .object({
    id: z.uuid(),
    model: z.string().min(1).max(100),
    message: z
      .object({
        id: z.uuid(),
        // Empty only with attachments: files alone are a message too (the refine below).
        text: z.string().trim().max(100_000),
        // Uploads (POST /api/files) sent with this message; lib/files checks owner and tier limits.
        attachments: z.array(z.object({ id: z.uuid(), pageLimit: z.number().int().positive().nullable().optional() })).max(100).optional(),
      })
      .optional(),
    parentId: z.uuid().nullable().optional(),
    regenerateFrom: z.uuid().optional(),
  })
  .refine((b) => Boolean(b.message) !== Boolean(b.regenerateFrom), {
    message: "Send either a message or regenerateFrom.",
    path: ["message"],
  })
  .refine((b) => !b.message || b.message.text !== "" || (b.message.attachments?.length ?? 0) > 0, {
    message: "Type a message or attach a file first.",
    path: ["message", "text"],
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;
