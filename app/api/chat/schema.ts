import { z } from "zod";

export const chatRequestSchema = z
  .object({
    id: z.uuid(),
    model: z.string().min(1).max(100),
    message: z
      .object({
        id: z.uuid(),
        text: z.string().trim().min(1, "Type a message first.").max(100_000),
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
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;
