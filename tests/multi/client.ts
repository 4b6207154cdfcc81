// What the suite does as a user: sign in as a guest, send a chat message, resume, stop, read the
// saved conversation. Cookie auth, as the browser; POSTs carry JSON (the CSRF check requires it).
import { randomUUID } from "node:crypto";
import { signInGuest } from "@/bench/stack";
import { ReplyReader } from "./reply-reader";

export interface Guest {
  cookie: string;
}

export async function guest(baseUrl: string): Promise<Guest> {
  return { cookie: await signInGuest(baseUrl) };
}

let n = 0;

export function sendChat(baseUrl: string, g: Guest, conversationId: string, model: string): Promise<ReplyReader> {
  // A different text each time: the simulator picks the reply from a hash of the messages.
  const text = `Explain how a reply survives a failover, case ${Date.now()}-${n++}.`;
  return ReplyReader.open(`${baseUrl}/api/chat`, {
    method: "POST",
    headers: { cookie: g.cookie, "content-type": "application/json" },
    body: JSON.stringify({ id: conversationId, model, message: { id: randomUUID(), text } }),
  });
}

export function resume(baseUrl: string, g: Guest, conversationId: string, lastEventId: number): Promise<ReplyReader> {
  return ReplyReader.open(`${baseUrl}/api/chat/${conversationId}/stream`, {
    headers: { cookie: g.cookie, "last-event-id": String(lastEventId) },
  });
}

export async function stop(baseUrl: string, g: Guest, conversationId: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/chat/${conversationId}/stop`, {
    method: "POST",
    headers: { cookie: g.cookie, "content-type": "application/json" },
    body: "{}",
  });
  await res.arrayBuffer();
  return res.status;
}

export interface SavedMessage {
  id: string;
  role: string;
  content: string;
  finish_reason: string | null;
}

export async function saved(baseUrl: string, g: Guest, conversationId: string): Promise<SavedMessage[]> {
  const res = await fetch(`${baseUrl}/v1/conversations/${conversationId}`, { headers: { cookie: g.cookie } });
  if (!res.ok) throw new Error(`GET conversation: HTTP ${res.status}`);
  const body = (await res.json()) as { messages: SavedMessage[] };
  return body.messages;
}

export interface SimRequest {
  id: string;
  model: string;
  status: string;
  completion_tokens: number;
}

export async function simRequests(simUrl: string, model: string): Promise<SimRequest[]> {
  const stats = (await (await fetch(`${simUrl}/sim/stats`)).json()) as { requests: SimRequest[] };
  return stats.requests.filter((r) => r.model === model);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms (last: ${JSON.stringify(v)?.slice(0, 300)})`);
    await sleep(50);
  }
}

/** seqs strictly consecutive: nothing missing, nothing twice. */
export function consecutive(seqs: number[]): boolean {
  return seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1);
}
