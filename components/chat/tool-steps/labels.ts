// What each tool step is called in the chat (DESIGN §6: "Ran code", "Searched the web", "Read …",
// "Generated an image"), from the step's input while it runs and from its display once done.
import type { ToolDisplay } from "@/lib/tools/types";

export type { ToolDisplay };

/** The display the server sent, when it has a kind this UI knows. */
export function asDisplay(value: unknown): ToolDisplay | null {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && ["python", "web_search", "fetch_url", "generate_image", "error"].includes(kind) ? (value as ToolDisplay) : null;
}

const DONE: Record<string, string> = {
  python: "Ran code",
  web_search: "Searched the web",
  fetch_url: "Read a page",
  generate_image: "Generated an image",
};

const RUNNING: Record<string, string> = {
  python: "Running code…",
  web_search: "Searching the web…",
  fetch_url: "Reading…",
  generate_image: "Generating an image…",
};

export function stepLabel(
  tool: string,
  input: unknown,
  display: ToolDisplay | null,
  state: { running: boolean; stopped: boolean; failed: boolean },
): string {
  if (state.running) {
    const url = tool === "fetch_url" ? (input as { url?: unknown } | null)?.url : undefined;
    return typeof url === "string" ? `Reading ${url}…` : (RUNNING[tool] ?? `Using ${tool}…`);
  }
  let label = DONE[tool] ?? `Used ${tool}`;
  if (display?.kind === "fetch_url") {
    const pages = display.pages;
    label = pages.length === 1 ? `Read ${pages[0].title || pages[0].url}` : `Read ${pages.length} pages`;
  }
  if (display?.kind === "web_search" && display.query) label = `Searched the web for “${display.query}”`;
  if (state.stopped) return `${label} (stopped)`;
  return state.failed ? `${label} (failed)` : label;
}
