// Where a client's copy of a reply comes from. The request that started a reply reads the run on
// this instance directly (no round trip through the log); any other client — a second tab, a
// reload, a dropped connection resuming with Last-Event-ID, on this instance or another — reads the
// reply's event log (lib/live), replaying after its last seen seq and then tailing, so it sees every
// event exactly once. When the log is gone (the reply ended a while ago), the saved row stands in.
import { getLeafReply } from "@/db/queries/messages";
import { getToolChainAbove } from "@/db/queries/tool-steps";
import type { Message } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import { toolOutput } from "@/lib/chat/ui-messages";
import { errors } from "@/lib/errors";
import type { ToolDisplay } from "@/lib/tools/types";
import type { LoggedReplyEvent, ReplyEvent, ToolFile } from "./pipeline/events";
import { live } from "./pipeline/live";
import type { ReplyRun } from "./reply-run";
import type { ReplySource } from "./sse";

export function runSource(run: ReplyRun): ReplySource {
  return (onEvents) => run.attach(onEvents);
}

/** `Last-Event-ID` (as browsers send it on reconnect) or `?after=` : the last seq the client has. */
export function lastEventId(req: Request): number {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? "0";
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw errors.badRequest("Last-Event-ID must be a sequence number from this stream.", "invalid_last_event_id");
  return n;
}

export interface Attached {
  reply: Message;
  source: ReplySource;
}

/**
 * The conversation's current reply for its owner, as a source to relay. Throws 404 for a
 * conversation that is missing or someone else's, before anything of the reply is read; null when
 * the conversation's leaf is not a reply.
 */
export async function attachToReply(args: { conversationId: string; userId: string; after: number }): Promise<Attached | null> {
  const reply = await getLeafReply({ conversationId: args.conversationId, userId: args.userId });
  if (reply === undefined) throw errors.notFound("conversation");
  if (reply === null) return null;
  const log = live().log;
  if (reply.finishReason === null) return { reply, source: (onEvents) => log.subscribe(reply.id, args.after, onEvents) };
  const logged = await log.read(reply.id, args.after);
  if (logged.length) return { reply, source: (onEvents) => (onEvents(logged), () => {}) };
  const chain = args.after > 0 ? [] : await getToolChainAbove({ replyId: reply.id, conversationId: args.conversationId, userId: args.userId });
  const saved = savedEvents(reply, chain, args.after);
  return { reply, source: (onEvents) => (onEvents(saved), () => {}) };
}

/**
 * A finished reply rebuilt from its rows (seq 0: no ids): its tool chain's steps (`chain`, the rows
 * above it) and its text. From the start for a new reader; only the end for one that had part of it
 * (its text is in the conversation, which the client reloads).
 */
function savedEvents(m: Message, chain: Message[], after: number): LoggedReplyEvent[] {
  const end: LoggedReplyEvent = {
    seq: 0,
    event: { type: "end", finishReason: (m.finishReason ?? "interrupted") as FinishReason, error: m.error, model: m.model ?? "", usage: null },
  };
  if (after > 0) return [end];
  const head = chain[0] ?? m;
  return [
    {
      seq: 0,
      event: { type: "start", messageId: m.id, parentId: head.parentId, model: m.model ?? "", createdAt: head.createdAt.getTime(), context: m.context ?? { omitted: 0, summarized: false, promptTokens: 0 }, limitNotice: null, crisisResources: m.context?.safeCompletion === "crisis" },
    },
    ...chainEvents(chain).map((event) => ({ seq: 0, event })),
    ...(m.content ? [{ seq: 0, event: { type: "text" as const, text: m.content } }] : []),
    end,
  ];
}

/** The saved steps as the live reply sent them: each step's text, its calls, one result per tool message. */
function chainEvents(chain: Message[]): ReplyEvent[] {
  const out: ReplyEvent[] = [];
  let step = 0;
  let calls = 0;
  for (const [i, m] of chain.entries()) {
    if (m.role === "assistant") {
      if (m.content) out.push({ type: "text", text: m.content });
      const infos = (m.toolCalls ?? []).map((raw) => {
        const c = raw as { id?: string; function?: { name?: string; arguments?: string } };
        return { id: c.id ?? "", name: c.function?.name ?? "", arguments: c.function?.arguments ?? "" };
      });
      out.push({ type: "tool-call", step: ++step, calls: infos, firstIndex: calls });
      calls += infos.length;
    } else {
      const result = toolOutput(m);
      const part = (m.contentParts?.[0] ?? null) as { name?: string } | null;
      const last = chain[i + 1]?.role !== "tool";
      out.push({ type: "tool-result", step, toolCallId: m.toolCallId ?? "", name: part?.name ?? "", isError: result.isError, durationMs: result.durationMs, display: result.display as ToolDisplay, files: result.files as ToolFile[], last });
    }
  }
  return out;
}
