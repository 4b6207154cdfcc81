// The replies this instance is generating, by conversation, and one ticker for all of them:
// stall detection, SSE heartbeats and text checkpoints. One timer for every open reply instead of
// timers reset per token keeps per-token work to appending text.
// (Single instance for now: stop and resume reach only replies on this instance; cross-instance
// resumption over Redis comes with the Redis work.)
import { env } from "@/lib/env";
import { checkpointAssistantMessages } from "@/db/queries/messages";
import { metrics } from "@/lib/metrics/registry";
import type { ReplyRun } from "./reply-run";

interface Registry {
  byConversation: Map<string, ReplyRun>;
  timer: NodeJS.Timeout | null;
}

const g = globalThis as typeof globalThis & { __liveReplies?: Registry };
const registry: Registry = (g.__liveReplies ??= { byConversation: new Map(), timer: null });

export function liveReplyFor(conversationId: string): ReplyRun | undefined {
  return registry.byConversation.get(conversationId);
}

export function liveReplyCount(): number {
  return registry.byConversation.size;
}

/** Registers a run until its final state is saved (persisted resolves). */
export function trackReply(run: ReplyRun, persisted: Promise<unknown>): void {
  registry.byConversation.set(run.conversationId, run);
  metrics().liveReplies.set(registry.byConversation.size);
  const release = () => {
    if (registry.byConversation.get(run.conversationId) === run) registry.byConversation.delete(run.conversationId);
    metrics().liveReplies.set(registry.byConversation.size);
  };
  persisted.then(release, release);
  ensureTicker();
}

function ensureTicker(): void {
  if (registry.timer) return;
  const { SSE_HEARTBEAT_MS, CHECKPOINT_MS } = env();
  const tickMs = Math.max(10, Math.min(250, SSE_HEARTBEAT_MS / 2, CHECKPOINT_MS));
  registry.timer = setInterval(tick, tickMs);
  registry.timer.unref();
}

function tick(): void {
  const { UPSTREAM_STALL_MS, SSE_HEARTBEAT_MS, CHECKPOINT_MS } = env();
  const now = Date.now();
  if (registry.byConversation.size === 0 && registry.timer) {
    clearInterval(registry.timer);
    registry.timer = null;
    return;
  }
  const due: ReplyRun[] = [];
  for (const run of registry.byConversation.values()) {
    if (run.done) continue;
    if (now - run.lastUpstreamAt > UPSTREAM_STALL_MS) {
      run.fail("The model stopped responding.");
      continue;
    }
    run.heartbeat(now, SSE_HEARTBEAT_MS);
    if (run.content.length !== run.checkpointedLength && now - (lastCheckpointAt.get(run) ?? run.startedAt) >= CHECKPOINT_MS) {
      due.push(run);
    }
  }
  if (due.length && !checkpointing) checkpoint(due, now);
}

const lastCheckpointAt = new WeakMap<ReplyRun, number>();
let checkpointing = false;

/** One statement for every reply due; the next batch waits until this one is written. */
function checkpoint(runs: ReplyRun[], now: number): void {
  checkpointing = true;
  const rows = runs.map((run) => {
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
