// Key layout of the Redis live store. Every key of one reply carries the reply id as a hash tag
// ({…}), so on Redis Cluster they share a slot and the claim script can touch two of them at once.
// The lease index and the stop channel are the only global names.
import IORedis from "ioredis";

/** Reply ids are uuids; anything else could break out of the hash tag. */
const REPLY_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function liveKeys(prefix: string) {
  const reply = (id: string, part: string) => {
    if (!REPLY_ID.test(id)) throw new Error("live store: invalid reply id");
    return `${prefix}live:{${id}}:${part}`;
  };
  return {
    /** Stream of the reply's events; entry id 0-<seq>, one field `e` holding the event's JSON. */
    events: (id: string) => reply(id, "events"),
    /** The instance that wrote the reply's first events (its generator); others append after the top. */
    writer: (id: string) => reply(id, "writer"),
    /** Set once a stop is requested; the generator polls it, in case the pub/sub message was lost. */
    stop: (id: string) => reply(id, "stop"),
    /** The generator's lease: its instance id, PX-expiring unless renewed. */
    lease: (id: string) => reply(id, "lease"),
    /** Set NX by the one instance that handles a lapsed lease. */
    claim: (id: string) => reply(id, "claim"),
    /** Sorted set of live replies: member JSON [replyId, conversationId, userId], score = lease expiry (ms). */
    leaseIndex: `${prefix}live:leases`,
    /** Pub/sub channel of stop requests; the message is the reply id. */
    stopChannel: `${prefix}live:stop`,
    /** The reply id inside an events key (the reader gets keys back from XREAD). */
    idOfEventsKey: (key: string) => key.slice(key.indexOf("{") + 1, key.lastIndexOf("}")),
  };
}

export type LiveKeys = ReturnType<typeof liveKeys>;

/** Round trips this store made to Redis; tests and the bench read it. */
export interface LiveStats {
  roundTrips: number;
  /** Events dropped from the Redis log because Redis stayed away past the pending bound. */
  dropped: number;
}

/**
 * One connection of the live store. Named, so CLIENT LIST shows which process holds which; no
 * offline queue on the command connections, so a command during an outage fails at once and the
 * caller's retry policy applies instead of a queue that grows without bound.
 */
export function liveConnection(url: string, name: string, offlineQueue = false): IORedis {
  const client = new IORedis(url, {
    connectionName: name,
    enableOfflineQueue: offlineQueue,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  // Outages are handled by each caller's retry; without a listener ioredis prints every reconnect.
  client.on("error", () => {});
  return client;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Parses XRANGE/XREAD entries ([id, [field, value, …]]) into logged events, skipping foreign ones. */
export function parseEntries<E>(entries: [string, string[]][]): { seq: number; event: E }[] {
  const out: { seq: number; event: E }[] = [];
  for (const [id, fields] of entries) {
    const seq = Number(id.slice(id.indexOf("-") + 1));
    const i = fields.indexOf("e");
    if (!Number.isSafeInteger(seq) || i < 0 || i % 2 !== 0) continue;
    try {
      out.push({ seq, event: JSON.parse(fields[i + 1]) as E });
    } catch {
      // A corrupt entry is skipped rather than ending the reader for every subscriber.
    }
  }
  return out;
}
