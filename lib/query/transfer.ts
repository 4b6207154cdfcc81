// Export and import of all chats: GET /v1/conversations/export (a JSON download) and
// POST /v1/conversations/import (ChatGPT's conversations.json or our own export).
import { readApiError } from "./api-error";

export const EXPORT_URL = "/v1/conversations/export";
/** Mirrors the route's limit, so a file it would refuse is not uploaded first. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export interface ImportResult {
  object: "import";
  source: "chatgpt" | "chatgate";
  imported: number;
  conversation_ids: string[];
}

/** A large file is imported in the background (202): its progress, from any instance. */
export interface ImportJobJson {
  object: "import.job";
  id: string;
  source: "chatgpt" | "chatgate";
  status: "running" | "done" | "failed";
  total: number;
  imported: number;
  error: string | null;
}

export async function getImportJob(id: string): Promise<ImportJobJson> {
  const res = await fetch(`/v1/conversations/import/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  if (!res.ok) throw new Error(await readApiError(res, `Couldn’t read the import’s progress (HTTP ${res.status}).`));
  return (await res.json()) as ImportJobJson;
}

/** Sends the file's text as is (it is already JSON; the server validates it). */
export async function importConversations(file: Blob): Promise<ImportResult | ImportJobJson> {
  if (file.size > IMPORT_MAX_BYTES) throw new Error("Import files can be at most 50 MB.");
  let res: Response;
  try {
    res = await fetch("/v1/conversations/import", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: await file.text(),
    });
  } catch {
    throw new Error("Couldn’t reach the server. Check your connection and try again.");
  }
  if (!res.ok) throw new Error(await readApiError(res, `Couldn’t import the file (HTTP ${res.status}).`));
  return (await res.json()) as ImportResult | ImportJobJson;
}
