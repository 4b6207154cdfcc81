// The process's one live store: Redis when REDIS_URL is set (replies resumable and stoppable from
// any instance), in-process otherwise. A module-level value, not a globalThis key: the app server
// loads every live-reply route in one module graph, so this module exists once per process.
import { env } from "@/lib/env";
import { createMemoryLiveStore } from "./memory-store";
import { createRedisLiveStore } from "./redis-store";
import type { LiveStore } from "./types";

export type { EventLog, LiveStore, LoggedEvent, ReplyLease, StopBus } from "./types";

let store: LiveStore | undefined;

export function liveStore<E = unknown>(): LiveStore<E> {
  if (!store) {
    const e = env();
    store = e.REDIS_URL && e.LIVE_STORE === "auto" ? createRedisLiveStore({ url: e.REDIS_URL, prefix: e.LIVE_KEY_PREFIX }) : createMemoryLiveStore();
  }
  return store as LiveStore<E>;
}

/** Tests switch between stores; production never calls this. */
export async function resetLiveStoreForTests(): Promise<void> {
  const old = store;
  store = undefined;
  await old?.close();
}
