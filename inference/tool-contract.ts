// The tools contract of DESIGN §3, for every text model: a fixed phrasing of the last user message
// calls one built-in tool, but only when the request offers a tool of that name. Tests drive the
// gateway's tool loop with these phrasings.
import { lastUserText, type ChatRequest } from "./request";

export interface ContractCall {
  name: "python" | "web_search" | "fetch_url" | "generate_image";
  args: Record<string, string>;
}

/** The code of the first ```python fenced block (indexOf scanning: no backtracking regex). */
function pythonBlock(text: string): string | null {
  const open = text.indexOf("```python");
  if (open < 0) return null;
  const lineEnd = text.indexOf("\n", open);
  if (lineEnd < 0) return null;
  const close = text.indexOf("```", lineEnd + 1);
  const code = (close < 0 ? text.slice(lineEnd + 1) : text.slice(lineEnd + 1, close)).trimEnd();
  return code.trim() ? code : null;
}

function afterPrefix(text: string, prefix: string): string | null {
  return text.slice(0, prefix.length).toLowerCase() === prefix ? text.slice(prefix.length).trim() : null;
}

export function contractCall(req: ChatRequest): ContractCall | null {
  const tools = req.tools;
  if (!tools?.length || req.tool_choice === "none") return null;
  if (req.messages[req.messages.length - 1]?.role !== "user") return null;
  const offered = (name: string) => tools.some((t) => t.function.name === name);
  const text = lastUserText(req).trim();

  const code = pythonBlock(text);
  if (code !== null && offered("python")) return { name: "python", args: { code } };
  const query = afterPrefix(text, "search the web for ");
  if (query && offered("web_search")) return { name: "web_search", args: { query } };
  const read = afterPrefix(text, "read ");
  const url = read?.split(/\s/, 1)[0] ?? "";
  if (/^https?:\/\/\S/i.test(url) && offered("fetch_url")) return { name: "fetch_url", args: { url } };
  const prompt = afterPrefix(text, "draw ");
  if (prompt && offered("generate_image")) return { name: "generate_image", args: { prompt } };
  return null;
}
