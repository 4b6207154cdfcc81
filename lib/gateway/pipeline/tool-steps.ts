// A reply's tool steps are saved one by one, as each completes (its calls, every result, the files
// it stored), not only when the reply ends: a server that dies mid-loop (kill -9, a crash, a
// restart) leaves the finished steps in the conversation, and the recovery of interrupted replies
// (the lease watch of live.ts on another instance, or the sweep at the next start) ends the reply
// `interrupted` with them above its checkpointed text, as the chat shows it on a reload.
//
// Each save extends the chain above the reply's row (db/queries/tool-steps.ts) and, mid-run, resets
// the row's checkpointed text: that text was the step's own (the model's words before its calls)
// and now lives in the chain. Saves of one reply run one at a time, in step order.
import { saveToolChain, type ToolChainStep } from "@/db/queries/tool-steps";
import { log } from "@/lib/log/logger";
import { catalogEncodings } from "@/lib/models/catalog";
import { countForEncodings } from "@/lib/tokens/count";
import type { ReplyRun, ToolStep } from "../reply-run";
import type { ToolCallInfo } from "./events";

/** OpenAI's `tool_calls` of an assistant message. */
export function openAiToolCalls(calls: ToolCallInfo[]) {
  return calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } }));
}

interface Saved {
  /** Steps of run.toolSteps already in the database. */
  count: number;
  queue: Promise<void>;
}

const saved = new WeakMap<ReplyRun, Saved>();

const complete = (step: ToolStep) => step.results.length >= step.calls.length;

/**
 * Saves the run's steps not saved yet: mid-run only completed ones (every call has its result), with
 * the reply's checkpointed text reset; at the end (`final`) all of them, the reply's own text being
 * written right after by finish.ts. A failed mid-run save is logged and retried with the next.
 */
export function saveToolSteps(run: ReplyRun, opts: { final: boolean }): Promise<void> {
  let state = saved.get(run);
  if (!state) saved.set(run, (state = { count: 0, queue: Promise.resolve() }));
  const s = state;
  const next = s.queue.then(async () => {
    const pending: ToolStep[] = [];
    for (const step of run.toolSteps.slice(s.count)) {
      if (!opts.final && !complete(step)) break;
      pending.push(step);
    }
    if (!pending.length || !run.conversationId) return;
    const steps = await chainSteps(pending);
    await saveToolChain({ replyId: run.id, conversationId: run.conversationId, userId: run.userId, model: run.model, steps, clearReplyText: !opts.final });
    s.count += pending.length;
  });
  // Mid-run, a failure must not stop the reply (the end retries); the final save reports it to finish.ts.
  s.queue = next.catch((err: unknown) => {
    if (!opts.final) log().error({ err, reply_id: run.id }, "gateway: saving a tool step failed");
  });
  return opts.final ? next : s.queue;
}

/** Steps as rows: each call's result keeps its display and files for the UI. */
async function chainSteps(steps: ToolStep[]): Promise<ToolChainStep[]> {
  const encodings = catalogEncodings();
  return Promise.all(
    steps.map(async (step) => ({
      text: step.text,
      textTokens: await countForEncodings(step.text, encodings),
      toolCalls: openAiToolCalls(step.calls),
      results: await Promise.all(
        step.results.map(async (r) => ({
          toolCallId: r.toolCallId,
          content: r.content,
          contentTokens: await countForEncodings(r.content, encodings),
          part: { type: "tool_result" as const, name: r.name, display: r.display, files: r.files, isError: r.isError, durationMs: r.durationMs },
        })),
      ),
    })),
  );
}
