// A new user message's attachments, before it is saved: the caller's own files, at most the tier's
// files per message, with the tokens they add (stored with the message, so the context budget counts
// them like text). A PDF may be sent in part ("first N pages") when the user chose so.
//
// Which files: uploads not sent yet, and files already sent earlier in the same conversation — a new
// version of a message (an edit) keeps its attachments. Those are copied: the new message gets rows
// of its own (ids chosen here, since its content_parts are written with it), sharing the stored
// object, so each message owns its files (its share page serves them, its conversation deletes them).
//
// Two steps, so a message that cannot fit costs no moderation (the expensive part: a 10 MB file's
// text read by the classifier and the PII scan): prepareAttachments reads the rows and their stored
// token counts; the caller checks the budget (lib/gateway/pipeline/context.ts); moderateAttachments
// then checks only text that fits the model's window.
//
// Their text is moderated like typed text (DESIGN §1 step 4, lib/safety checkInput): a harmful
// request in an attached .txt is refused with 400 content_filter before anything is saved, exactly as
// if it had been typed; a warned or redacted file is audited against the saved message; a self-harm
// file gets the safe completion. Each file is its own check, over exactly the text the model would get
// (a PDF's chosen pages), so a file's verdict names the file and a long document does not crowd the
// typed text out of the classifier's budget. Images carry no text to check.
import { randomUUID } from "node:crypto";
import { attachFilesToMessage, copyFilesToMessage, listFilesWithTextByIds } from "@/db/queries/files";
import type { FileRow } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { tierLimits } from "@/lib/limits/config";
import { catalogEncodings, type CatalogModel } from "@/lib/models/catalog";
import { auditInput, checkInput, type InputCheckArgs, type InputDecision, type SafeCompletion } from "@/lib/safety/input";
import { countForEncodings } from "@/lib/tokens/count";
import { codeText, pdfText } from "./context-parts";
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
  /** Files sent before in this conversation, copied for the new message (`toId` is in `parts`). */
  copies: { fromId: string; toId: string }[];
  /** Each file's text as the model would get it, for moderateAttachments. */
  texts: { file: FileRow; text: string; index: number }[];
  /** Files whose text was warned or redacted (by moderateAttachments): audited once the message has an id. */
  flagged: { args: InputCheckArgs; decision: InputDecision }[];
  /** Set when an attached file shows self-harm intent (answered with care, like typed text). */
  safeCompletion: SafeCompletion | null;
}

/** Framing each file part adds ("Attached file …", fences): a small constant, as for messages. */
const PART_OVERHEAD_TOKENS = 12;

/** The text of a file as the model receives it (images: none). */
function textSent(f: FileRow, pageLimit: number | null): string | null {
  if (f.kind === "pdf") return pdfText(f, pageLimit);
  if (f.kind === "text") return codeText(f);
  return null;
}

async function moderateFile(user: SessionUser, model: CatalogModel, conversationId: string | null, f: FileRow, text: string, index: number) {
  const args: InputCheckArgs = { userId: user.id, tier: user.tier, conversationId, model: model.id, text };
  try {
    return { args, decision: await checkInput(args) };
  } catch (err) {
    if (err instanceof AppError && err.code === "content_filter") {
      throw new AppError("invalid_request_error", "content_filter", `The attached file “${f.name}” can’t be sent: it goes against the content policy.`, {
        param: `message.attachments.${index}`,
      });
    }
    throw err;
  }
}

export async function prepareAttachments(
  user: SessionUser,
  model: CatalogModel,
  refs: AttachmentRef[],
  conversationId: string | null,
): Promise<PreparedAttachments> {
  const { perMessage } = tierLimits(user.tier).files;
  if (refs.length > perMessage) {
    throw new AppError("invalid_request_error", "too_many_files", `You can attach at most ${perMessage} files to a message on your plan.`, {
      status: 413,
      param: "message.attachments",
    });
  }
  const ids = [...new Set(refs.map((r) => r.id))];
  const rows = await listFilesWithTextByIds({ ids, userId: user.id });
  // Another user's file, a deleted one, or one sent in another conversation: all the same 404.
  const usable = (r: FileRow) => r.messageId === null || (conversationId !== null && r.conversationId === conversationId);
  if (rows.length !== ids.length || !rows.every(usable)) throw errors.notFound("file");
  const byId = new Map(rows.map((r) => [r.id, r]));
  const encodings = catalogEncodings();
  const tokens: Record<string, number> = Object.fromEntries(encodings.map((e) => [e, 0]));
  const parts: AttachmentPart[] = [];
  const copies: PreparedAttachments["copies"] = [];
  const texts: PreparedAttachments["texts"] = [];
  for (const [i, ref] of refs.entries()) {
    const f = byId.get(ref.id)!;
    let fileTokens = f.tokens;
    const limit = f.kind === "pdf" && ref.pageLimit && f.pages && ref.pageLimit < f.pages ? ref.pageLimit : null;
    // Counted only as far as the window: more cannot be sent anyway.
    if (limit && f.pageTexts) fileTokens = await countForEncodings(f.pageTexts.slice(0, limit).join("\n\n"), encodings, model.contextWindow);
    for (const e of encodings) tokens[e] += (fileTokens[e] ?? 0) + PART_OVERHEAD_TOKENS;
    let fileId = f.id;
    if (f.messageId !== null) {
      fileId = randomUUID();
      copies.push({ fromId: f.id, toId: fileId });
    }
    const text = textSent(f, limit);
    if (text) texts.push({ file: f, text, index: i });
    parts.push({
      type: "file",
      file_id: fileId,
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
  return { parts, tokens, copies, texts, flagged: [], safeCompletion: null };
}

/** After the budget check: each file's text moderated (a block throws 400 content_filter naming the file). */
export async function moderateAttachments(
  user: SessionUser,
  model: CatalogModel,
  conversationId: string | null,
  prepared: PreparedAttachments,
): Promise<PreparedAttachments> {
  const checked = await Promise.all(prepared.texts.map((t) => moderateFile(user, model, conversationId, t.file, t.text, t.index)));
  return {
    ...prepared,
    flagged: checked.filter((c) => c.decision.action !== "allowed"),
    safeCompletion: checked.find((c) => c.decision.safeCompletion)?.decision.safeCompletion ?? null,
  };
}

/** Adds the attachments' tokens to the typed text's counts. */
export function withAttachmentTokens(text: Record<string, number>, prepared: PreparedAttachments | null): Record<string, number> {
  if (!prepared) return text;
  const out = { ...text };
  for (const [e, n] of Object.entries(prepared.tokens)) out[e] = (out[e] ?? 0) + n;
  return out;
}

/**
 * After the message is saved: the files now belong to it (and go when its conversation goes) —
 * unsent uploads attached, earlier files copied — and flagged files are audited against it.
 */
export async function attachToMessage(user: SessionUser, prepared: PreparedAttachments | null, conversationId: string, messageId: string): Promise<void> {
  if (!prepared?.parts.length) return;
  const copied = new Set(prepared.copies.map((c) => c.toId));
  const fresh = prepared.parts.map((p) => p.file_id).filter((id) => !copied.has(id));
  await Promise.all([
    attachFilesToMessage({ ids: fresh, userId: user.id, conversationId, messageId }),
    copyFilesToMessage({ copies: prepared.copies, userId: user.id, conversationId, messageId }),
  ]);
  for (const f of prepared.flagged) auditInput({ ...f.args, conversationId }, f.decision, messageId);
}
