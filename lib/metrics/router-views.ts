// Every instance's router view, for the Pools page. With REDIS_URL each instance publishes its
// snapshot under its own key with a TTL (an instance that dies drops out within VIEW_TTL_S) and the
// page reads them all; without Redis there is one instance and its own view is read directly.
import type IORedis from "ioredis";
import { env } from "@/lib/env";
import { connectIoredis } from "@/lib/limits/redis-client";
import { log } from "@/lib/log/logger";
import { instanceId } from "./instance";
import { routerSnapshot, type RouterSnapshot } from "./router-snapshot";
import { processShared } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    obsRedis: IORedis | null;
  }
}

const VIEW_TTL_S = 15;
const INDEX_KEY = "chatgate:router-views";
const viewKey = (instance: string) => `chatgate:router-view:${instance}`;


/** The observability Redis connection (its own, so a slow limits script never delays a PING), or null. */
export function obsRedis(): IORedis | null {
  return processShared("obsRedis", () => {
    const url = env().REDIS_URL;
    return url ? connectIoredis(url) : null;
  });
}

export async function publishRouterView(redis: IORedis, snapshot: RouterSnapshot = routerSnapshot(instanceId())): Promise<void> {
  await redis.multi().set(viewKey(snapshot.instance), JSON.stringify(snapshot), "EX", VIEW_TTL_S).sadd(INDEX_KEY, snapshot.instance).exec();
}

/** All live instances' views (this one's fresh), oldest instance name first. */
export async function readRouterViews(redis: IORedis | null = obsRedis()): Promise<RouterSnapshot[]> {
  const own = routerSnapshot(instanceId());
  if (!redis) return [own];
  try {
    const instances = (await redis.smembers(INDEX_KEY)).filter((i) => i !== own.instance).sort();
    const raw = instances.length ? await redis.mget(...instances.map(viewKey)) : [];
    const gone = instances.filter((_, i) => raw[i] === null);
    if (gone.length) await redis.srem(INDEX_KEY, ...gone);
    const others = raw.flatMap((r) => (r ? [JSON.parse(r) as RouterSnapshot] : []));
    return [own, ...others];
  } catch (err) {
    log().warn({ err }, "router views: Redis read failed");
    return [own];
  }
}
