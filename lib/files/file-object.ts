// The JSON shape of an uploaded file in API answers (snake_case, OpenAI-like "object").
import type { FileMeta } from "@/db/queries/files";

export function toFileObject(f: FileMeta) {
  return {
    id: f.id,
    object: "file",
    name: f.name,
    kind: f.kind,
    mime: f.mime,
    language: f.language,
    size: f.size,
    width: f.width,
    height: f.height,
    pages: f.pages,
    lines: f.lines,
    tokens: f.tokens,
    created_at: f.createdAt.toISOString(),
  };
}
export type FileObject = ReturnType<typeof toFileObject>;
