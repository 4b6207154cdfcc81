// Words and numbers for attachment chips and cards.
import type { FileKind } from "@/lib/files/types";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "PNG", "PDF", "TS": what the chip says the file is (from the server's detection once uploaded). */
export function typeLabel(name: string, kind: FileKind | null, mime: string | null): string {
  if (kind === "pdf") return "PDF";
  if (kind === "image" && mime) return mime.replace("image/", "").toUpperCase().replace("JPEG", "JPG");
  const ext = name.includes(".") ? name.split(".").pop()!.toUpperCase() : "";
  return ext && ext.length <= 5 ? ext : kind === "text" ? "Text" : "File";
}

export function detailLabel(a: { kind: FileKind; pages: number | null; lines: number | null; tokens: number; page_limit?: number | null }): string {
  const size =
    a.kind === "pdf" && a.pages !== null
      ? a.page_limit
        ? `first ${a.page_limit} of ${formatCount(a.pages)} pages`
        : `${formatCount(a.pages)} ${a.pages === 1 ? "page" : "pages"}`
      : a.kind === "text" && a.lines !== null
        ? `${formatCount(a.lines)} ${a.lines === 1 ? "line" : "lines"}`
        : null;
  return [size, `${formatCount(a.tokens)} tokens`].filter(Boolean).join(" · ");
}
