// Files a tool produced (code artifacts, generated images), stored with the file storage (lib/files)
// under the reply's owner and attached to the reply's own row (on the shared path, so a share's file
// route serves them too; a deleted conversation takes them along). Images the chat shows are kind
// "image" (served inline); anything else is kind "text" and always served as an attachment, so an
// .svg or .html a program wrote never renders on the app's origin.
import { createHash } from "node:crypto";
import { insertFile } from "@/db/queries/files";
import { storageKeyFor } from "@/lib/files/ingest";
import { fileStore } from "@/lib/files/storage";
import type { ToolArtifact } from "@/lib/tools/types";
import type { ReplyRun } from "../reply-run";
import type { ToolFile } from "./events";

const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);

export async function storeToolFiles(run: ReplyRun, artifacts: ToolArtifact[]): Promise<ToolFile[]> {
  if (!artifacts.length || !run.conversationId) return [];
  const out: ToolFile[] = [];
  for (const a of artifacts) {
    try {
      const data = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
      const sha256 = createHash("sha256").update(data).digest("hex");
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
      out.push({ id: row.id, name: row.name, mime: row.mime, size: row.size });
    } catch (err) {
      // A file that cannot be stored is left out of the step; the run's own result stands.
      console.error("[tools] storing a file failed", run.id, err);
    }
  }
  return out;
}
