// Attachments on their way upstream (step 8 of the pipeline builds the body with this): a message
// with parts becomes [parts…, text part] — files first, the same bytes every turn, so the prompt's
// prefix stays cacheable — without the side field. Every earlier step reads `content` as the text.
import type { ContentPart } from "@/lib/gateway/context";

interface WithParts {
  content: string;
  parts?: ContentPart[];
}

/** The messages as the upstream body carries them (the other fields, such as role and tool calls, as they are). */
export function withContentParts<M extends WithParts>(messages: M[]): (Omit<M, "parts" | "content"> & { content: string | ContentPart[] })[] {
  return messages.map(({ parts, ...m }) => {
    if (!parts?.length) return m;
    return { ...m, content: m.content ? [...parts, { type: "text" as const, text: m.content }] : parts };
  }) as (Omit<M, "parts" | "content"> & { content: string | ContentPart[] })[];
}

/** The public API's re-encoded images (lib/files/api-parts.ts) as image_url parts. */
export function imageParts(images: { url: string }[]): ContentPart[] {
  return images.map((i) => ({ type: "image_url", image_url: { url: i.url } }));
}
