// The replies this instance is generating, and what keeps them honest while they run. This is the
// only place that talks to lib/live for a generating reply:
// - its events go to the reply's event log (appends batched per tick by the store);
// - a stop requested on any instance (StopBus) stops it here and aborts the upstream request;
// - it holds a ReplyLease until its final state is saved; when another instance's lease lapses (that
//   instance died), watchExpired has one instance end the reply `interrupted` with its last
//   checkpoint and append the end event, so attached clients see the end;
// - one ticker per process: stall detection, text checkpoints and SSE heartbeats (sse.ts registers
//   its connections here), instead of timers per token.
import { checkpointAssistantMessages, endAssistantMessageAsIs, INTERRUPTED_ERROR } from "@/db/queries/messages";
import { env } from "@/lib/env";
import { liveStore } from "@/lib/live";
import { outsideRequest } from "@/lib/log/context";
import type { LiveStore } from "@/lib/live/types";
import { metrics } from "@/lib/metrics/registry";
import type { ReplyRun } from "../reply-run";
import type { ReplyEvent } from "./events";

/** An open SSE connection, for heartbeats while nothing else is written. */
export interface Connection {
  lastWriteAt: number;
  heartbeat(): void;
}

const runs = new Set<ReplyRun>();
const connections = new Set<Connection>();
const lastCheckpointAt = new WeakMap<ReplyRun, number>();
let timer: NodeJS.Timeout | null = null;
let checkpointing = false;
let watching = false;

export function live(): LiveStore<ReplyEvent> {
  const store = liveStore() as LiveStore<ReplyEvent>;
  if (!watching) {
    watching = true;
    store.leases.watchExpired(interruptOrphan);
  }
  return store;
}

export function appendTo(replyId: string): (events: ReplyEvent[]) => number[] {
  const log = live().log;
  return (events) => log.append(replyId, events);
}

/**
 * Watches a new reply until it ends: stall detection for every reply; for a stored one (logged),
 * also checkpoints, the stop bus and the lease. Returns when set up; `saved` is awaited by finish.ts.
 */
export function track(run: ReplyRun, logged: boolean): void {
  runs.add(run);
  metrics().liveReplies.set(runs.size);
  ensureTicker();
  if (!logged) {
    run.onEnd(() => untrack(run));
    return;
  }
  const store = live();
  const offStop = store.stops.onStop(run.id, () => run.stop());
  const leased = store.leases.acquire(run.id, { conversationId: run.conversationId, userId: run.userId }).catch((err: unknown) => {
    console.warn("[live] lease not taken", run.id, err);
  });
  run.onEnd(() => {
    offStop();
    untrack(run);
  });
  released.set(run, async () => {
    await leased;
    await Promise.all([store.leases.release(run.id), store.log.close(run.id)]).catch((err: unknown) => console.warn("[live] release failed", run.id, err));
  });
}

const released = new WeakMap<ReplyRun, () => Promise<void>>();

/** After the final state is saved (finish.ts): the lease goes and the log may expire. */
export function releaseReply(run: ReplyRun): Promise<void> {
  return released.get(run)?.() ?? Promise.resolve();
}

function untrack(run: ReplyRun): void {
  runs.delete(run);
  metrics().liveReplies.set(runs.size);
}

export function watchConnection(conn: Connection): () => void {
  connections.add(conn);
  ensureTicker();
  return () => connections.delete(conn);
}

async function interruptOrphan(replyId: string): Promise<void> {
  const ended = await endAssistantMessageAsIs({ id: replyId, finishReason: "interrupted", error: INTERRUPTED_ERROR });
  if (!ended) return; // it finished after all
  const log = live().log;
  log.append(replyId, [{ type: "end", finishReason: "interrupted", error: INTERRUPTED_ERROR, model: ended.model ?? "", usage: null }]);
  await log.close(replyId);
}

function ensureTicker(): void {
  if (timer) return;
  const { SSE_HEARTBEAT_MS, CHECKPOINT_MS } = env();
  // Outside the request that happens to start it: every later tick would otherwise run (and log) as that request.
  timer = outsideRequest(() => setInterval(tick, Math.max(10, Math.min(250, SSE_HEARTBEAT_MS / 2, CHECKPOINT_MS))));
  timer.unref();
}

function tick(): void {
  const { UPSTREAM_STALL_MS, SSE_HEARTBEAT_MS, CHECKPOINT_MS } = env();
  const now = Date.now();
  if (runs.size === 0 && connections.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
    return;
  }
  for (const conn of connections) if (now - conn.lastWriteAt >= SSE_HEARTBEAT_MS) conn.heartbeat();
  const due: ReplyRun[] = [];
  for (const run of runs) {
    if (run.done) continue;
    if (!run.toolRunning && now - run.lastUpstreamAt > UPSTREAM_STALL_MS) {
      run.fail("The model stopped responding.");
      continue;
    }
    if (run.conversationId && run.content.length !== run.checkpointedLength && now - (lastCheckpointAt.get(run) ?? run.startedAt) >= CHECKPOINT_MS) {
      due.push(run);
    }
  }
  if (due.length && !checkpointing) checkpoint(due, now);
}

/** One statement for every reply due; the next batch waits until this one is written. */
function checkpoint(due: ReplyRun[], now: number): void {
  checkpointing = true;
  const rows = due.map((run) => {
    lastCheckpointAt.set(run, now);
    return { run, length: run.content.length, content: run.content };
  });
  const stopTimer = metrics().persist.startTimer({ step: "checkpoint" });
  checkpointAssistantMessages(rows.map((r) => ({ id: r.run.id, content: r.content })))
    .then(
      () => {
        stopTimer();
        for (const r of rows) r.run.checkpointedLength = Math.max(r.run.checkpointedLength, r.length);
      },
      (err: unknown) => console.error("[gateway] checkpoint failed", err),
    )
    .finally(() => {
      checkpointing = false;
    });
}
