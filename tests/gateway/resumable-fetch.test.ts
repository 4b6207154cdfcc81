// The browser's resumable fetch (components/chat/resumable-fetch.ts) against the real app server:
// the reply's body breaks after a few events (or ends early, as behind a proxy's idle timeout); the
// wrapper reattaches with Last-Event-ID and the reader sees one stream with every event exactly once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { resumable } from "@/components/chat/resumable-fetch";
import { sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, UPSTASH_REDIS_REST_URL: "" });
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

/** The first `events` SSE events of a body, then an error (a dropped connection) or a clean end. */
function cut(body: ReadableStream<Uint8Array>, events: number, how: "error" | "end"): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      text += decoder.decode(value, { stream: true });
      if (text.split("\n\n").length - 1 >= events) {
        // Pass on part of the next event too: the wrapper must not let a cut event through.
        controller.enqueue(value.subarray(0, Math.max(1, value.length - 5)));
        await reader.cancel();
        if (how === "error") controller.error(new TypeError("network error"));
        else controller.close();
        return;
      }
      controller.enqueue(value);
    },
  });
}

describe.each(["error", "end"] as const)("a reply whose connection %ss mid-way", (how) => {
  it("is resumed in the same body with every event once", async () => {
    const { user, cookie } = await signedIn();
    const id = randomUUID();
    const res = await fetch(`${app.url}/api/chat`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ id, model: "gpt-4", message: { id: randomUUID(), text: "Write a long story about harbours" } }),
    });
    const broken = new Response(cut(res.body!, 6, how), { status: 200, headers: res.headers });
    let lost = false;
    const wrapped = resumable(broken, {
      streamUrl: `/api/chat/${id}/stream`,
      onLost: () => (lost = true),
      fetch: (url, init) => fetch(`${app.url}${String(url)}`, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }),
    });
    const events = sseEvents(await wrapped.text());
    expect(lost).toBe(false);
    const ids = events.map((e) => e.id).filter((n): n is number => n !== null);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(events.at(-1)?.data).toBe("[DONE]");
    const text = events
      .filter((e) => e.data.startsWith("{"))
      .map((e) => JSON.parse(e.data) as { type: string; delta?: string })
      .filter((e) => e.type === "text-delta")
      .map((e) => e.delta)
      .join("");
    const { getMessageById } = await import("@/db/queries/messages");
    const startEvent = JSON.parse(events[0].data) as { messageId: string };
    const saved = await waitFor(async () => {
      const m = await getMessageById({ id: startEvent.messageId, userId: user.id });
      return m?.finishReason ? m : null;
    });
    expect(text).toBe(saved.content);
  });
});
