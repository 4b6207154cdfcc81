// Names and types of files tools hand back. Names come from code the user (or a model) wrote, so
// they are reduced to a safe alphabet before they reach storage, headers or the page.
import path from "node:path";

const MIME: Record<string, string> = {
  txt: "text/plain", md: "text/markdown", csv: "text/csv", tsv: "text/tab-separated-values", json: "application/json",
  html: "text/html", xml: "application/xml", svg: "image/svg+xml", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg",
  gif: "image/gif", webp: "image/webp", pdf: "application/pdf", zip: "application/zip", py: "text/x-python", log: "text/plain",
};

export function mimeFor(name: string): string {
  return MIME[path.extname(name).slice(1).toLowerCase()] ?? "application/octet-stream";
}

/** "../out dir/résumé.txt" → "out_dir_r_sum_.txt"; never empty, never hidden, unique in `taken`. */
export function sanitizeName(raw: string, taken: Set<string>): string {
  let name = raw
    .split(/[\\/]+/)
    .filter((p) => p && p !== "." && p !== "..")
    .join("_")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  while (name.startsWith(".")) name = name.slice(1);
  if (!name) name = "file";
  if (name.length > 100) {
    const ext = path.extname(name).slice(0, 12);
    name = name.slice(0, 100 - ext.length) + ext;
  }
  let unique = name;
  for (let i = 2; taken.has(unique.toLowerCase()); i++) {
    const ext = path.extname(name);
    unique = `${name.slice(0, name.length - ext.length)}-${i}${ext}`;
  }
  taken.add(unique.toLowerCase());
  return unique;
}
