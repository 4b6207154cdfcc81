// A new user message's attachments, before it is saved: the caller's own unattached uploads, at most
// the tier's files per message, with the tokens they add (stored with the message, so the context
// budget counts them like text). A PDF may be sent in part ("first N pages") when the user chose so.
import { attachFilesToMessage, listFilesWithTextByIds } from "@/db/queries/files";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { tierLimits } from "@/lib/limits/config";
import { catalogEncodings, type CatalogModel } from "@/lib/models/catalog";
import { countForEncodings } from "@/lib/tokens/count";
import type { AttachmentPart } from "./types";

export interface AttachmentRef {
  id: string;
  /** PDFs: send only the first N pages. */
  pageLimit?: number | null;
}

export interface PreparedAttachments {
  parts: AttachmentPart[];
  /** Tokens per encoding the attachments add to the message. */
  tokens: Record<string, number>;
}

/** Framing each file part adds ("Attached file …", fences): a small constant, as for messages. */
const PART_OVERHEAD_TOKENS = 12;

export async function prepareAttachments(user: SessionUser, model: CatalogModel, refs: AttachmentRef[]): Promise<PreparedAttachments> {
  const { perMessage } = tierLimits(user.tier).files;
  if (refs.length > perMessage) {
    throw new AppError("invalid_request_error", "too_many_files", `You can attach at most ${perMessage} files to a message on your plan.`, {
      status: 413,
      param: "message.attachments",
    });
  }
  const ids = [...new Set(refs.map((r) => r.id))];
  const rows = await listFilesWithTextByIds({ ids, userId: user.id });
  // Another user's file, a deleted one, or one already sent with another message: all the same 404.
  if (rows.length !== ids.length || rows.some((r) => r.messageId !== null)) throw errors.notFound("file");
  const byId = new Map(rows.map((r) => [r.id, r]));
  const encodings = catalogEncodings();
  const tokens: Record<string, number> = Object.fromEntries(encodings.map((e) => [e, 0]));
  const parts: AttachmentPart[] = [];
  for (const ref of refs) {
    const f = byId.get(ref.id)!;
    let fileTokens = f.tokens;
    const limit = f.kind === "pdf" && ref.pageLimit && f.pages && ref.pageLimit < f.pages ? ref.pageLimit : null;
    if (limit && f.pageTexts) fileTokens = await countForEncodings(f.pageTexts.slice(0, limit).join("\n\n"), encodings);
    for (const e of encodings) tokens[e] += (fileTokens[e] ?? 0) + PART_OVERHEAD_TOKENS;
    parts.push({
      type: "file",
      file_id: f.id,
      name: f.name,
      kind: f.kind,
      mime: f.mime,
      size: f.size,
      pages: f.pages,
      lines: f.lines,
      tokens: fileTokens[model.encoding] ?? 0,
      ...(limit ? { page_limit: limit } : {}),
    });
  }
  return { parts, tokens };
}

/** Adds the attachments' tokens to the typed text's counts. */
export function withAttachmentTokens(text: Record<string, number>, prepared: PreparedAttachments | null): Record<string, number> {
  if (!prepared) return text;
  const out = { ...text };
  for (const [e, n] of Object.entries(prepared.tokens)) out[e] = (out[e] ?? 0) + n;
  return out;
}

/** After the message is saved: the files now belong to it (and go when its conversation goes). */
export async function attachToMessage(user: SessionUser, prepared: PreparedAttachments | null, conversationId: string, messageId: string): Promise<void> {
  if (!prepared?.parts.length) return;
  await attachFilesToMessage({ ids: prepared.parts.map((p) => p.file_id), userId: user.id, conversationId, messageId });
}
