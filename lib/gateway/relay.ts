// Where a client's copy of a reply comes from. The request that started a reply reads the run on
// this instance directly (no round trip through the log); any other client — a second tab, a
// reload, a dropped connection resuming with Last-Event-ID, on this instance or another — reads the
// reply's event log (lib/live), replaying after its last seen seq and then tailing, so it sees every
// event exactly once. When the log is gone (the reply ended a while ago), the saved row stands in.
import { getLeafReply } from "@/db/queries/messages";
import type { Message } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import { errors } from "@/lib/errors";
import type { LoggedReplyEvent } from "./pipeline/events";
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
  const saved = savedEvents(reply, args.after);
  return { reply, source: (onEvents) => (onEvents(saved), () => {}) };
}

/**
 * A finished reply rebuilt from its row (seq 0: no ids). From the start for a new reader; only the
 * end for one that had part of it (its text is in the conversation, which the client reloads).
 */
function savedEvents(m: Message, after: number): LoggedReplyEvent[] {
  const end: LoggedReplyEvent = {
    seq: 0,
    event: { type: "end", finishReason: (m.finishReason ?? "interrupted") as FinishReason, error: m.error, model: m.model ?? "", usage: null },
  };
  if (after > 0) return [end];
  return [
    {
      seq: 0,
      event: { type: "start", messageId: m.id, parentId: m.parentId, model: m.model ?? "", createdAt: m.createdAt.getTime(), context: m.context ?? { omitted: 0, summarized: false, promptTokens: 0 }, limitNotice: null, crisisResources: m.context?.safeCompletion === "crisis" },
    },
    ...(m.content ? [{ seq: 0, event: { type: "text" as const, text: m.content } }] : []),
    end,
  ];
}
