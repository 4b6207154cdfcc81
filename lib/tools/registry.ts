// The built-in tools, their OpenAI definitions (generated from the zod schemas), and the one entry
// point the loop calls with a model's tool call. Nothing here throws at the loop: bad arguments,
// unknown tools, unavailable tools and tool crashes all become an error result for the model.
import { z } from "zod";
import { fetchUrlTool } from "./fetch-url";
import { generateImageTool } from "./generate-image";
import { pythonTool } from "./python";
import { errorResult, type Availability, type OpenAITool, type Tool, type ToolContext, type ToolResult } from "./types";
import { webSearchTool } from "./web-search";

export const TOOLS: readonly Tool<never>[] = [pythonTool, webSearchTool, fetchUrlTool, generateImageTool] as unknown as Tool<never>[];
export type ToolName = "python" | "web_search" | "fetch_url" | "generate_image";

export function getTool(name: string): Tool<never> | undefined {
  return TOOLS.find((t) => t.name === name);
}

export function toOpenAITool(tool: Tool<never>): OpenAITool {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
  delete schema.$schema;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters: schema } };
}

/** Each tool's availability, for the UI ("web search is off: no provider configured"). */
export function toolStatus(): { name: string; label: string; availability: Availability }[] {
  return TOOLS.map((t) => ({ name: t.name, label: t.label, availability: t.availability() }));
}

/** The `tools` to offer the model: the available ones, minus those the user turned off. */
export function toolDefinitions(opts: { disabled?: readonly string[] } = {}): OpenAITool[] {
  return TOOLS.filter((t) => !opts.disabled?.includes(t.name) && t.availability().ok).map(toOpenAITool);
}

/** Runs one streamed tool call: `args` is the accumulated arguments string (empty means {}). */
export async function runToolCall(name: string, args: string, ctx: ToolContext): Promise<ToolResult> {
  const tool = getTool(name);
  if (!tool) return errorResult(name, `There is no tool named "${name}".`);
  let json: unknown = {};
  if (args.trim()) {
    try {
      json = JSON.parse(args);
    } catch {
      return errorResult(name, "The arguments are not valid JSON.");
    }
  }
  const parsed = tool.input.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
    return errorResult(name, `Invalid arguments for ${name}: ${issues}`);
  }
  const availability = tool.availability();
  if (!availability.ok) return errorResult(name, `${tool.label} is not available: ${availability.reason}.`);
  if (ctx.signal.aborted) return errorResult(name, "Stopped before it ran.");
  try {
    return await tool.run(parsed.data as never, ctx);
  } catch (err) {
    if (ctx.signal.aborted) return errorResult(name, "Stopped.");
    console.error(`tool ${name} failed`, err);
    return errorResult(name, "The tool failed unexpectedly.");
  }
}
