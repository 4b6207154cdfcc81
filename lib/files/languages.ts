// The language of a text or code file, from its extension only (the bytes are checked as UTF-8 text
// elsewhere; the extension names the language for the model and the card, nothing more).
const BY_EXTENSION: Record<string, string> = {
  ts: "typescript", tsx: "tsx", js: "javascript", jsx: "jsx", mjs: "javascript", cjs: "javascript",
  py: "python", rb: "ruby", go: "go", rs: "rust", java: "java", kt: "kotlin", swift: "swift",
  c: "c", h: "c", cpp: "cpp", cc: "cpp", hpp: "cpp", cs: "csharp", php: "php", scala: "scala",
  sh: "bash", bash: "bash", zsh: "bash", ps1: "powershell", sql: "sql", r: "r", lua: "lua", dart: "dart",
  css: "css", scss: "scss", json: "json", yaml: "yaml", yml: "yaml", toml: "toml", xml: "xml", ini: "ini",
  md: "markdown", markdown: "markdown", txt: "text", csv: "csv", tsv: "tsv", log: "text", env: "text",
  dockerfile: "dockerfile", makefile: "makefile", vue: "vue", svelte: "svelte", ex: "elixir", hs: "haskell",
};

/** Extensions refused even when the bytes are plain text: a browser would run them as markup. */
export const MARKUP_EXTENSIONS = new Set(["html", "htm", "xhtml", "svg", "svgz", "shtml", "mht", "mhtml"]);

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return base.toLowerCase(); // "Dockerfile", "Makefile"
  return base.slice(dot + 1).toLowerCase();
}

export function languageOf(name: string): string {
  return BY_EXTENSION[extensionOf(name)] ?? "text";
}
