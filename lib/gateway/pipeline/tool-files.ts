// Files a tool produced (code artifacts, generated images), stored with the file storage (lib/files)
// under the reply's owner, so they download, show inline (images), export and share like uploads.
import type { ToolArtifact } from "@/lib/tools/types";
import type { ReplyRun } from "../reply-run";
import type { ToolFile } from "./events";

export async function storeToolFiles(run: ReplyRun, artifacts: ToolArtifact[]): Promise<ToolFile[]> {
  void run;
  void artifacts;
  return [];
}
