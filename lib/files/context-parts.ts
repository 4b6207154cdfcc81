// Attachments into the prompt (DESIGN §1 step 6): the user messages of the assembled context that
// carry files get OpenAI content parts — images as data URLs the server builds from storage (never
// a storage URL the model server would fetch), PDFs as their text page by page, text and code files
// with their name and language. A model without `vision` gets no images, only a line saying one was
// attached. File parts come before the typed text, and are the same bytes every turn, so the
// prompt's prefix stays cacheable. Their tokens were counted when the message was saved.
// Every text part (a file's text, its name) goes upstream PII-redacted exactly as typed text does
// under the "redact" policy (lib/safety redactForUpstream): an email or a key in an attached file
// never reaches the model, in this turn or any later one; the user's own copy keeps it.
import { listContentPartsByMessageIds, listFilesWithTextByIds } from "@/db/queries/files";
import type { FileRow } from "@/db/schema";
import type { ContentPart, UpstreamMessage } from "@/lib/gateway/context";
import type { CatalogModel } from "@/lib/models/catalog";
import { redactForUpstream } from "@/lib/safety/input";
import { imageDataUrl } from "./image";
import { IMAGE_MAX_SIDE } from "./image-tokens";
import { fileStore } from "./storage";
import { type AttachmentPart, attachmentsOf } from "./types";

/** A message of the assembled prompt (lib/gateway/context.ts UpstreamMessage). */
type PromptMessage = Pick<UpstreamMessage, "role" | "content" | "parts">;

/** The messages of the context path, as getContextPath returns them. */
interface PathMessage {
  id: string;
  role: string;
  content: string;
  /** The row's content_parts when the caller read them with it (getContextPath does); absent: read here. */
  contentParts?: unknown[] | null;
}

type TextFile = Pick<FileRow, "name" | "pages" | "language" | "pageTexts">;

export function pdfText(f: TextFile, limit: number | null | undefined): string {
  const pages = f.pageTexts ?? [];
  const sent = limit ? pages.slice(0, limit) : pages;
  const head = `Attached PDF "${f.name}" (${f.pages ?? pages.length} pages${sent.length < pages.length ? `; the first ${sent.length} are included` : ""}):`;
  return [head, ...sent.map((text, i) => `--- Page ${i + 1} ---\n${text}`)].join("\n\n");
}

export function codeText(f: TextFile): string {
  const lang = f.language && f.language !== "text" ? f.language : "";
  const body = f.pageTexts?.[0] ?? "";
  // A fence longer than any backtick run inside, so the file cannot close it early.
  let fence = "```";
  while (body.includes(fence)) fence += "`";
  return `Attached file "${f.name}"${lang ? ` (${lang})` : ""}:\n${fence}${lang}\n${body}\n${fence}`;
}

/** The content parts for one message's attachments, in the order they were attached; text parts PII-redacted. */
export async function partsForAttachments(refs: AttachmentPart[], files: Map<string, FileRow>, model: CatalogModel): Promise<ContentPart[]> {
  const out: ContentPart[] = [];
  const text = (t: string) => out.push({ type: "text", text: redactForUpstream(t) });
  for (const ref of refs) {
    const f = files.get(ref.file_id);
    if (!f) continue; // deleted since: the message keeps its text
    if (f.kind === "image") {
      if (!model.vision) {
        text(`[The user attached the image "${f.name}"; this model cannot see images.]`);
        continue;
      }
      const bytes = await fileStore().getBytes(f.storageKey);
      if (bytes) out.push({ type: "image_url", image_url: { url: await imageDataUrl(bytes, f.mime, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE) } });
    } else if (f.kind === "pdf") text(pdfText(f, ref.page_limit));
    else text(codeText(f));
  }
  return out;
}

/** Pairs prompt messages with the path messages they came from: same role and text, from the newest back. */
function pair(prompt: PromptMessage[], path: PathMessage[]): Map<PromptMessage, string> {
  const out = new Map<PromptMessage, string>();
  let j = path.length - 1;
  for (let i = prompt.length - 1; i >= 0 && j >= 0; i--) {
    const m = prompt[i];
    let k = j;
    while (k >= 0 && !(path[k].role === m.role && path[k].content === m.content)) k--;
    if (k < 0) continue; // the system prompt or the summary
    out.set(m, path[k].id);
    j = k - 1;
  }
  return out;
}

/**
 * Gives the prompt's user messages that carry files their content parts (`parts`, beside the text;
 * the stream step puts them into the content array). Call it on the assembled messages before
 * anything rewrites their text (PII redaction of `content`): messages are paired with the path by
 * their text. The parts themselves are already redacted.
 */
export async function attachFileParts(opts: { userId: string; model: CatalogModel; path: PathMessage[]; messages: PromptMessage[] }): Promise<void> {
  const pairs = pair(opts.messages.filter((m) => m.role === "user"), opts.path.filter((m) => m.role === "user"));
  if (pairs.size === 0) return;
  // The path's rows usually carry their parts already (a turn with no files then needs no query).
  const messageIds = [...pairs.values()];
  const rows = new Map(opts.path.map((m) => [m.id, m]));
  let partsByMessage = new Map<string, unknown[]>();
  if (messageIds.every((id) => rows.get(id)?.contentParts !== undefined)) {
    for (const id of messageIds) if (rows.get(id)!.contentParts) partsByMessage.set(id, rows.get(id)!.contentParts!);
  } else partsByMessage = await listContentPartsByMessageIds({ messageIds, userId: opts.userId });
  if (partsByMessage.size === 0) return;
  const refs = new Map([...partsByMessage].map(([id, parts]) => [id, attachmentsOf(parts)]));
  const ids = [...refs.values()].flat().map((r) => r.file_id);
  const files = new Map((await listFilesWithTextByIds({ ids, userId: opts.userId })).map((f) => [f.id, f]));
  for (const [m, id] of pairs) {
    const r = refs.get(id);
    if (!r?.length) continue;
    const parts = await partsForAttachments(r, files, opts.model);
    if (parts.length) m.parts = parts;
  }
}
