// Step 8's tool loop (DESIGN §1): a chat reply whose model turn ends in `tool_calls` runs each call
// (lib/tools/registry.ts), appends the assistant message with its calls and one `tool` message per
// result, and asks the model again, up to the tier's `toolSteps`; after the last step the model is
// asked without tools, so it must answer. Every call and result is an event in the reply's log
// (reply-run.ts), so it streams, resumes and survives a disconnect like text; each completed step is
// saved before the model is asked again (tool-steps.ts), so it survives the server too. Stop aborts the
// running tool (ctx.signal = the reply's abort signal). The public API never runs anything here:
// its callers' tools are theirs (stream.ts returns their calls).
import { getDisabledTools } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session-user";
import { tierLimits } from "@/lib/limits/config";
import { findModel, type CatalogModel } from "@/lib/models/catalog";
import { tokenCounter, type Encoding } from "@/lib/tokens/count";
import { runToolCall, toOpenAITool, TOOLS } from "@/lib/tools/registry";
import type { OpenAITool } from "@/lib/tools/types";
import type { UpstreamMessage } from "../context";
import type { ReplyRun } from "../reply-run";
import type { UpstreamToolCall } from "../upstream";
import type { ToolCallInfo } from "./events";
import { storeToolFiles } from "./tool-files";
import { openAiToolCalls, saveToolSteps } from "./tool-steps";

export interface ToolLoop {
  tools: OpenAITool[];
  maxSteps: number;
  userId: string;
}

/** The tools a chat turn offers: none for a model without the catalog flag, or when all are off. */
export async function chatToolLoop(user: SessionUser, model: CatalogModel): Promise<ToolLoop | null> {
  if (!model.tools) return null;
  return offeredLoop(user);
}

/**
 * The tools the context must leave room for (step 6, before routing): those of chatToolLoop for any
 * model that may answer this request — the model itself, its "auto" picks, its fallback chain — so
 * the count is never below what step 8 offers (over-counting only leaves out a little more history).
 */
export async function contextToolLoop(user: SessionUser, model: CatalogModel): Promise<ToolLoop | null> {
  return mayAnswerWithTools(model) ? offeredLoop(user) : null;
}

function mayAnswerWithTools(model: CatalogModel): boolean {
  const seen = new Set<string>();
  const queue: (CatalogModel | undefined)[] = [model];
  while (queue.length) {
    const m = queue.shift();
    if (!m || seen.has(m.id)) continue;
    seen.add(m.id);
    if (m.tools) return true;
    queue.push(m.fallback ? findModel(m.fallback) : undefined);
    if (m.cascade) queue.push(findModel(m.cascade.cheap), findModel(m.cascade.strong));
  }
  return false;
}

async function offeredLoop(user: SessionUser): Promise<ToolLoop | null> {
  const maxSteps = tierLimits(user.tier).toolSteps;
  if (maxSteps <= 0) return null;
  const disabled = user.disabledTools ?? (await getDisabledTools({ userId: user.id }));
  const tools = offeredTools(disabled);
  return tools.length ? { tools, maxSteps, userId: user.id } : null;
}

// Each tool's OpenAI definition is generated from its zod schema once per process, not per turn.
const definitions = new Map<string, OpenAITool>();

/** toolDefinitions() of lib/tools/registry, with the definitions cached: available and not turned off. */
function offeredTools(disabled: readonly string[]): OpenAITool[] {
  const out: OpenAITool[] = [];
  for (const t of TOOLS) {
    if (disabled.includes(t.name) || !t.availability().ok) continue;
    let def = definitions.get(t.name);
    if (!def) definitions.set(t.name, (def = toOpenAITool(t)));
    out.push(def);
  }
  return out;
}

/**
 * Tool definitions in a chat template (vLLM renders the request's `tools` into the prompt): the
 * framing around the list and around each definition, beyond the JSON itself. Like
 * MESSAGE_OVERHEAD_TOKENS, a small fixed allowance rather than one template's exact figure.
 */
export const TOOLS_OVERHEAD_TOKENS = 12;
export const TOOL_OVERHEAD_TOKENS = 4;

const definitionTokens = new Map<string, number>();

/**
 * What `tools` costs in the prompt, counted like the messages: each definition's JSON as it goes
 * upstream (name, description, parameters' JSON schema), with the model's tokenizer, plus the
 * template's framing. Counted once per definition and encoding per process (definitions are fixed).
 */
export async function toolDefinitionTokens(tools: readonly unknown[] | null | undefined, encoding: Encoding): Promise<number> {
  if (!tools?.length) return 0;
  let total = TOOLS_OVERHEAD_TOKENS;
  let count: ((text: string) => number) | null = null;
  for (const tool of tools) {
    const json = JSON.stringify(tool);
    const key = `${encoding}\u0000${json}`;
    let n = definitionTokens.get(key);
    if (n === undefined) {
      count ??= await tokenCounter(encoding);
      n = count(json);
      // Callers' own tools (the public API) vary; keep the cache bounded.
      if (definitionTokens.size < 1_000) definitionTokens.set(key, n);
    }
    total += n + TOOL_OVERHEAD_TOKENS;
  }
  return total;
}

/** The `tools` part of a request body: offered while steps are left, then withheld so the model answers. */
export function toolsBody(loop: ToolLoop | null, stepsDone: number): Record<string, unknown> {
  return loop && stepsDone < loop.maxSteps ? { tools: loop.tools, tool_choice: "auto" } : {};
}

/** Calls as the events and the stored message carry them; a call without an id gets one (some servers omit it). */
export function toCallInfos(calls: UpstreamToolCall[], step: number): ToolCallInfo[] {
  return calls.map((c, i) => ({ id: c.id || `call_${step}_${i}`, name: c.name, arguments: c.arguments }));
}

export { openAiToolCalls } from "./tool-steps";

/**
 * One tool step: the model's calls run in order, each result is sent to the clients and appended for
 * the model. Returns the messages to add to the next request, or null when the reply ended meanwhile
 * (stopped, blocked by the output filter).
 */
export function runToolStep(run: ReplyRun, loop: ToolLoop, upstreamCalls: UpstreamToolCall[]): Promise<UpstreamMessage[] | null> {
  const step = runCalls(run, loop, upstreamCalls);
  run.toolSettled = step.catch(() => null);
  return step;
}

async function runCalls(run: ReplyRun, loop: ToolLoop, upstreamCalls: UpstreamToolCall[]): Promise<UpstreamMessage[] | null> {
  const calls = toCallInfos(upstreamCalls, run.toolSteps.length + 1);
  const step = run.beginToolStep(calls);
  if (!step) return null;
  const messages: UpstreamMessage[] = [{ role: "assistant", content: step.text, tool_calls: openAiToolCalls(calls) }];
  run.toolRunning = true;
  try {
    for (const [i, call] of calls.entries()) {
      const startedAt = performance.now();
      const result = await runToolCall(call.name, call.arguments, { userId: loop.userId, signal: run.abort.signal });
      const files = await storeToolFiles(run, result); // may note in the result what did not fit the quota
      run.toolResult(
        {
          toolCallId: call.id,
          name: call.name,
          content: result.content,
          display: result.display,
          files,
          isError: result.isError === true,
          durationMs: Math.round(performance.now() - startedAt),
        },
        i === calls.length - 1,
      );
      messages.push({ role: "tool", tool_call_id: call.id, content: result.content });
      if (run.done) {
        // Stopped: the calls not run still get a result, so the saved call/result pairs stay whole.
        for (const rest of calls.slice(i + 1)) {
          const display = { kind: "error" as const, tool: rest.name, message: "Stopped before it ran." };
          run.toolResult({ toolCallId: rest.id, name: rest.name, content: "Error: Stopped before it ran.", display, files: [], isError: true, durationMs: 0 }, false);
        }
        return null;
      }
    }
    // The step is complete: saved before the model is asked again, so a crash from here on keeps it.
    await saveToolSteps(run, { final: false });
  } finally {
    run.toolRunning = false;
    run.lastUpstreamAt = Date.now(); // the stall timer starts with the next model call
  }
  return run.done ? null : messages;
}
