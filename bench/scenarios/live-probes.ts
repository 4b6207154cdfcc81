// Probes of scenario 11 (live.ts) that the load generator does not cover: the time from a resume
// request on the other instance to its first replayed byte, and the conversation API as a load
// target (one conversation per stream, created beforehand).
import { randomUUID } from "node:crypto";
import { request } from "undici";
import { createRedisLiveStore } from "../../lib/live/redis-store";
import type { Target } from "../loadgen";
import type { BenchPrompt } from "../prompt";

/**
 * Starts a reply on `genUrl`, waits for its first text, then asks `resumeUrl` for it after seq 1 and
 * times the request until the first byte of the body (events 2… replayed from the log). The reply
 * goes on generating after both readers leave.
 */
export async function resumeOnce(genUrl: string, resumeUrl: string, cookie: string, text: string, model: string): Promise<number> {
  const id = randomUUID();
  const gen = await request(`${genUrl}/api/chat`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ id, model, message: { id: randomUUID(), text } }),
  });
  if (gen.statusCode !== 200) throw new Error(`chat: HTTP ${gen.statusCode}`);
  let seen = "";
  for await (const chunk of gen.body) {
    seen += chunk.toString();
    if (seen.includes('"type":"text-delta"')) break;
  }
  const t0 = performance.now();
  const res = await request(`${resumeUrl}/api/chat/${id}/stream`, { headers: { cookie, "last-event-id": "1" } });
  if (res.statusCode !== 200) {
    await res.body.dump();
    gen.body.destroy();
    throw new Error(`resume: HTTP ${res.statusCode}`);
  }
  let ms = NaN;
  for await (const chunk of res.body) {
    if (chunk.length > 0) {
      ms = performance.now() - t0;
      break;
    }
  }
  res.body.destroy();
  gen.body.destroy();
  return ms;
}

/** An API key for the signed-in cookie's user (shown once, by the settings API). */
export async function apiKeyFor(appUrl: string, cookie: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/settings/api-keys`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
  });
  if (res.status !== 201) throw new Error(`API key: HTTP ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

export async function createConversations(appUrl: string, key: string, model: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${appUrl}/v1/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model }),
    });
    if (!res.ok) throw new Error(`create conversation: HTTP ${res.status}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

/**
 * POST /v1/conversations/:id/messages, one prepared conversation per stream. Its replies are
 * chat.completion.chunk SSE like the simulator's, so the load generator parses it as "direct".
 * The load generator calls body() and then reads path for each stream: body() picks the conversation.
 */
export function conversationTarget(origin: string, key: string, ids: string[], prompt: BenchPrompt): Target {
  let next = 0;
  let current = ids[0];
  const body = JSON.stringify({ content: prompt.text });
  return {
    kind: "direct",
    origin,
    get path() {
      return `/v1/conversations/${current}/messages`;
    },
    headers: { authorization: `Bearer ${key}` },
    body: () => {
      if (next >= ids.length) throw new Error("more streams than prepared conversations");
      current = ids[next++];
      return body;
    },
  };
}

/**
 * The live store's own share of a resume: two stores (two "instances", own connections) on one Redis;
 * one writes a reply of 50 events, the other subscribes after seq 1 and is timed to its first batch.
 */
export async function storeResumeMs(redisUrl: string, samples: number): Promise<number[]> {
  const opts = { url: redisUrl, prefix: `bench-store:${randomUUID()}:` };
  const [writer, reader] = [createRedisLiveStore<{ t: string }>(opts), createRedisLiveStore<{ t: string }>(opts)];
  const out: number[] = [];
  try {
    for (let i = 0; i < samples + 5; i++) {
      const id = randomUUID();
      writer.log.append(id, Array.from({ length: 50 }, (_, k) => ({ t: `token ${k} ` })));
      await writer.log.close(id);
      const t0 = performance.now();
      const ms = await new Promise<number>((resolve) => {
        const off = reader.log.subscribe(id, 1, () => {
          off();
          resolve(performance.now() - t0);
        });
      });
      if (i >= 5) out.push(ms); // the first few warm the connections and the script cache
    }
  } finally {
    await Promise.all([writer.close(), reader.close()]);
  }
  return out;
}
