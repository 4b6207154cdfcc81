// Files a tool produced (code artifacts, generated images), stored with the file storage (lib/files)
// under the reply's owner and attached to the reply's own row (on the shared path, so a share's file
// route serves them too; a deleted conversation takes them along). Images the chat shows are kind
// "image" (served inline); anything else is kind "text" and always served as an attachment, so an
// .svg or .html a program wrote never renders on the app's origin.
// They count against the owner's storage quota like uploads (lib/files/ingest.ts): a file that does not
// fit is not stored, and the step's result says so — to the model (its content) and to the user (its
// display: the code run's error output, or the failed image step's note).
import { createHash } from "node:crypto";
import { findFileBySha256, insertFile, storedBytesByUserId } from "@/db/queries/files";
import { getUserById } from "@/db/queries/users";
import { storageKeyFor } from "@/lib/files/ingest";
import { fileStore } from "@/lib/files/storage";
import { formatMb } from "@/lib/files/upload";
import { tierLimits } from "@/lib/limits/config";
import type { ToolResult } from "@/lib/tools/types";
import type { ReplyRun } from "../reply-run";
import type { ToolFile } from "./events";

const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);

/** Stores the result's artifacts that fit the owner's quota; notes the rest in `result` (amended in place). */
export async function storeToolFiles(run: ReplyRun, result: ToolResult): Promise<ToolFile[]> {
  const artifacts = result.artifacts ?? [];
  if (!artifacts.length || !run.conversationId) return [];
  const [owner, used] = await Promise.all([getUserById({ id: run.userId }), storedBytesByUserId({ userId: run.userId })]);
  const quota = { used, total: tierLimits(owner?.tier ?? "free").files.totalBytes };
  const out: ToolFile[] = [];
  const leftOut: string[] = [];
  for (const a of artifacts) {
    try {
      const data = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
      const sha256 = createHash("sha256").update(data).digest("hex");
      // The same bytes already stored for this user count once (as storedBytesByUserId counts them).
      const known = (await findFileBySha256({ sha256, userId: run.userId })) !== null;
      if (!known && quota.used + data.byteLength > quota.total) {
        leftOut.push(a.name);
        continue;
      }
      const image = INLINE_IMAGES.has(a.mime);
      const key = storageKeyFor(run.userId, sha256);
      await fileStore().putBytes(key, data, image ? a.mime : "application/octet-stream");
      const row = await insertFile({
        userId: run.userId,
        conversationId: run.conversationId,
        messageId: run.id,
        kind: image ? "image" : "text",
        mime: image ? a.mime : a.mime || "application/octet-stream",
        name: a.name,
        size: data.byteLength,
        sha256,
        storageKey: key,
        tokens: {},
      });
      if (!known) quota.used += data.byteLength;
      out.push({ id: row.id, name: row.name, mime: row.mime, size: row.size });
    } catch (err) {
      // A file that cannot be stored is left out of the step; the run's own result stands.
      console.error("[tools] storing a file failed", run.id, err);
    }
  }
  if (leftOut.length) noteLeftOut(result, leftOut, quota, out.length === 0);
  return out;
}

function noteLeftOut(result: ToolResult, names: string[], quota: { used: number; total: number }, nothingStored: boolean): void {
  const note =
    `Not saved, because the user's file storage is full (${formatMb(quota.used)} of ${formatMb(quota.total)} used): ${names.join(", ")}. ` +
    "Deleting conversations with attachments makes room.";
  result.content = `${result.content}\n\n${note}`;
  const d = result.display;
  if (d.kind === "python") d.stderr = d.stderr ? `${d.stderr.replace(/\n*$/, "")}\n${note}` : note;
  else if (nothingStored) {
    result.display = { kind: "error", tool: d.kind === "error" ? d.tool : d.kind, message: note };
    result.isError = true;
  }
}
