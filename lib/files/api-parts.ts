// OpenAI content parts in the programs' APIs: `image_url` with a data URL and `file` (file_data as a
// data URL, or the id of an upload). The bytes are checked and re-encoded exactly as uploads are; a
// remote image URL is refused (the server fetches nothing on a caller's behalf).
//   /v1/chat/completions (stateless): images → re-encoded data URLs, PDFs and text → their text.
//   /v1/conversations/:id/messages: every file becomes an upload attached to the new message.
import { z } from "zod";
import fs from "node:fs/promises";
import { listFilesWithTextByIds } from "@/db/queries/files";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { catalogEncodings, type CatalogModel } from "@/lib/models/catalog";
import type { AttachmentRef } from "./attach";
import { codeText, pdfText } from "./context-parts";
import { extractInWorker } from "./extract";
import { imageDataUrl, normalizeImage } from "./image";
import { IMAGE_MAX_SIDE } from "./image-tokens";
import { ingestBytes } from "./ingest";
import { fileStore } from "./storage";
import type { ImageMime } from "./types";
import { spoolBytes } from "./upload";

const textPart = z.object({ type: z.literal("text"), text: z.string().max(400_000) });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({ url: z.string().max(30_000_000), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const filePart = z.object({
  type: z.literal("file"),
  file: z
    .object({ file_data: z.string().max(30_000_000).optional(), file_id: z.string().max(100).optional(), filename: z.string().max(255).optional() })
    .refine((f) => Boolean(f.file_data) !== Boolean(f.file_id), "Give either file_data or file_id."),
});
export const contentPartSchema = z.discriminatedUnion("type", [textPart, imagePart, filePart]);
export type ContentPart = z.infer<typeof contentPartSchema>;

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[\w-]+=[\w.-]+)*;base64,/;

function decodeDataUrl(url: string, param: string): Buffer {
  const m = DATA_URL.exec(url);
  if (!m) {
    throw errors.badRequest(
      url.startsWith("http") ? "Images must be sent as base64 data URLs; remote image URLs are not fetched." : "Expected a base64 data URL.",
      "invalid_image_url",
      param,
    );
  }
  return Buffer.from(url.slice(m[0].length), "base64");
}

/** /v1/chat/completions: the message's text (file texts first) and its images, re-encoded. */
export async function completionContent(
  user: SessionUser,
  model: CatalogModel,
  parts: ContentPart[],
  param: string,
): Promise<{ text: string; images: { url: string; tokens: number }[] }> {
  const texts: string[] = [];
  const typed: string[] = [];
  const images: { url: string; tokens: number }[] = [];
  const noVision = () =>
    new AppError("invalid_request_error", "image_not_supported", `The model "${model.id}" does not accept images.`, { param });
  for (const [i, p] of parts.entries()) {
    if (p.type === "text") typed.push(p.text);
    else if (p.type === "image_url") {
      if (!model.vision) throw noVision();
      const bytes = decodeDataUrl(p.image_url.url, `${param}.${i}.image_url.url`);
      const spooled = await spoolBytes("image", bytes);
      try {
        if (spooled.detected.kind !== "image") throw errors.badRequest("This image_url is not a PNG, JPEG, WebP or GIF image.", "invalid_image", param);
        const img = await normalizeImage(bytes, spooled.detected.mime as ImageMime);
        images.push({ url: `data:${img.mime};base64,${img.data.toString("base64")}`, tokens: img.tokens });
      } finally {
        await fs.rm(spooled.tmpPath, { force: true });
      }
    } else if (p.file.file_id) {
      const [f] = await listFilesWithTextByIds({ ids: [p.file.file_id], userId: user.id });
      if (!f) throw errors.notFound("file");
      if (f.kind === "image") {
        if (!model.vision) throw noVision();
        const bytes = await fileStore().getBytes(f.storageKey);
        if (!bytes) throw errors.notFound("file");
        images.push({ url: await imageDataUrl(bytes, f.mime, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), tokens: f.tokens[model.encoding] ?? 0 });
      } else texts.push(f.kind === "pdf" ? pdfText(f, null) : codeText(f));
    } else {
      const name = p.file.filename ?? "file";
      const spooled = await spoolBytes(name, decodeDataUrl(p.file.file_data!, `${param}.${i}.file.file_data`));
      try {
        if (spooled.detected.kind === "image") throw errors.badRequest("Send images as image_url parts.", "invalid_file", param);
        const x = await extractInWorker({
          path: spooled.tmpPath,
          kind: spooled.detected.kind,
          encodings: catalogEncodings(),
          textEncoding: spooled.detected.textEncoding,
          owner: user.id,
        });
        const row = { name: spooled.name, pages: x.pages ?? null, language: spooled.detected.language, pageTexts: x.pageTexts };
        texts.push(spooled.detected.kind === "pdf" ? pdfText(row, null) : codeText(row));
      } finally {
        await fs.rm(spooled.tmpPath, { force: true });
      }
    }
  }
  return { text: [...texts, typed.join("")].filter(Boolean).join("\n\n"), images };
}

/** /v1/conversations/:id/messages: text parts joined; image and file parts stored as the caller's uploads. */
export async function conversationContent(user: SessionUser, parts: ContentPart[]): Promise<{ text: string; attachments: AttachmentRef[] }> {
  let text = "";
  const attachments: AttachmentRef[] = [];
  for (const [i, p] of parts.entries()) {
    if (p.type === "text") text += p.text;
    else if (p.type === "image_url") {
      const f = await ingestBytes(user, `image-${i + 1}`, decodeDataUrl(p.image_url.url, `content.${i}.image_url.url`));
      if (f.kind !== "image") throw errors.badRequest("This image_url is not a PNG, JPEG, WebP or GIF image.", "invalid_image", `content.${i}`);
      attachments.push({ id: f.id });
    } else if (p.file.file_id) attachments.push({ id: p.file.file_id });
    else attachments.push({ id: (await ingestBytes(user, p.file.filename ?? `file-${i + 1}`, decodeDataUrl(p.file.file_data!, `content.${i}.file.file_data`))).id });
  }
  return { text, attachments };
}
