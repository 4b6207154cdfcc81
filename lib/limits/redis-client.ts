// The Redis that every app instance shares for limits. @upstash/ratelimit talks to Redis only through
// Lua scripts (evalsha, then eval on NOSCRIPT — see safeEval in its dist/index.js), so a TCP Redis
// needs nothing more than an adapter exposing those two calls in the @upstash/redis signature.
// Upstash REST (UPSTASH_REDIS_REST_URL) is the library's native client. Neither set → null: callers
// use the in-process limiters.
import { createHash } from "node:crypto";
import { Redis as UpstashRedis } from "@upstash/redis";
import IORedis from "ioredis";
import { env } from "@/lib/env";
import { processPeek, processSet } from "@/lib/process-registry";

/** The part of @upstash/redis the limiters call. */
export interface ScriptClient {
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
  evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown>;
}

/** Lua arguments go over RESP as strings; the library passes numbers and, for its reset script, null. */
const argv = (args: unknown[]) => args.map((a) => (a === null || a === undefined ? "" : String(a)));

/** The first connection is awaited (bounded by connectTimeout); during a later outage commands fail at once. */
function firstConnect(client: IORedis): Promise<void> {
  if (client.status !== "connecting" && client.status !== "connect" && client.status !== "wait") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      client.off("ready", done);
      client.off("error", done);
      resolve();
    };
    client.once("ready", done);
    client.once("error", done);
  });
}

/**
 * The library's scripts start with `#!lua flags=allow-key-locking`, a flag only newer servers (and
 * Upstash) accept; Redis 7.0 rejects the whole script. The flag is an optimisation, so the adapter
 * sends the script without the shebang line and remembers which of its own hashes stands for the
 * library's hash, keeping the library's evalsha-first path at one round trip.
 */
const SHEBANG = /^#![^\n]*\n/;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

export function ioredisScriptClient(client: IORedis): ScriptClient {
  const ownSha = new Map<string, string>();
  return {
    eval: async (script, keys, args) => {
      await firstConnect(client);
      const body = script.replace(SHEBANG, "");
      if (body !== script) ownSha.set(sha1(script), sha1(body));
      return client.eval(body, keys.length, ...keys, ...argv(args));
    },
    evalsha: async (sha, keys, args) => {
      await firstConnect(client);
      return client.evalsha(ownSha.get(sha) ?? sha, keys.length, ...keys, ...argv(args));
    },
  };
}

/**
 * A TCP client that fails fast instead of queueing: with the offline queue off and one retry, a
 * command during an outage rejects at once and the limit policy (LIMITS_ON_REDIS_ERROR) applies,
 * rather than every chat turn hanging until Redis comes back. It keeps reconnecting in the background.
 */
export function connectIoredis(url: string): IORedis {
  const client = new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  // Without a listener ioredis prints every failed reconnect; the limiter logs outages itself.
  client.on("error", () => {});
  return client;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    limitsRedis: { client: ScriptClient | null; close(): Promise<void> };
  }
}

export function limitsRedis(): ScriptClient | null {
  if (!processPeek("limitsRedis")) {
    const e = env();
    if (e.REDIS_URL) {
      const io = connectIoredis(e.REDIS_URL);
      processSet("limitsRedis", { client: ioredisScriptClient(io), close: async () => void io.disconnect() });
    } else if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) {
      const rest = new UpstashRedis({ url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN });
      processSet("limitsRedis", { client: rest as unknown as ScriptClient, close: async () => {} });
    } else {
      processSet("limitsRedis", { client: null, close: async () => {} });
    }
  }
  return processPeek("limitsRedis")!.client;
}

/** Tests switch between Redis and in-process limits; production never calls this. */
export async function resetLimitsRedisForTests(): Promise<void> {
  await processPeek("limitsRedis")?.close();
  processSet("limitsRedis", undefined);
}
