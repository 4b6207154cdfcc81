// What an uploaded file is once its bytes have been checked: the kinds this product accepts, and
// the metadata kept beside the stored object (files table) and in a message's content_parts.
export const FILE_KINDS = ["image", "pdf", "text"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** Image types decoded and re-encoded with sharp; anything else that looks like an image is refused. */
export const IMAGE_MIMES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];

/** Named in every refusal, so the user knows what would work. */
export const ACCEPTED_DESCRIPTION = "PNG, JPEG, WebP or GIF images, PDFs, and UTF-8 text or code files";

/** The `accept` attribute of the file picker (a hint only: the server decides from the bytes). */
export const ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/webp,image/gif,application/pdf,text/*,.md,.txt,.csv,.json,.ts,.tsx,.js,.jsx,.py,.rb,.go,.rs,.java,.c,.h,.cpp,.cs,.php,.sh,.sql,.yaml,.yml,.toml,.xml";

/** The result of looking at a file's first bytes (detect.ts). */
export interface DetectedType {
  kind: FileKind;
  mime: string;
  /** Code/text files: the language from the extension ("typescript", "text"). */
  language: string | null;
}

/** What extraction found (image.ts, the extraction worker). */
export interface Extracted {
  kind: FileKind;
  mime: string;
  language: string | null;
  width: number | null;
  height: number | null;
  pages: number | null;
  lines: number | null;
  /** Tokens per encoding of the text sent to a model ({"o200k_base": …}); images: the tile rule, the same for all. */
  tokens: Record<string, number>;
  /** PDFs: one string per page; text files: one element. Images: null. */
  pageTexts: string[] | null;
}

/** An attachment as a message's content_parts keeps it, the UI shows it and exports carry it. */
export interface AttachmentPart {
  type: "file";
  file_id: string;
  name: string;
  kind: FileKind;
  mime: string;
  size: number;
  pages: number | null;
  lines: number | null;
  /** Tokens this attachment adds to a prompt (first encoding of the catalog; images by tiles). */
  tokens: number;
  /** PDFs sent only in part (the user chose "first N pages"): how many pages go to the model. */
  page_limit?: number | null;
}

export function isAttachmentPart(p: unknown): p is AttachmentPart {
  return typeof p === "object" && p !== null && (p as { type?: unknown }).type === "file" && typeof (p as { file_id?: unknown }).file_id === "string";
}

export function attachmentsOf(contentParts: unknown[] | null | undefined): AttachmentPart[] {
  return (contentParts ?? []).filter(isAttachmentPart);
}
