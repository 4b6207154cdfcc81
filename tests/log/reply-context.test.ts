// Each reply's log line names its own request and user (review finding 9), however the reply ends:
// its end callbacks used to run in the async context of whichever request had opened the pooled
// upstream socket or started the process's ticker, so replies of two users carried a third request's
// id. And no line names a replica by its address (a label: pool and index). Over real HTTP through the
// whole app server and the real simulator, reading the real logger's lines.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { readSseText, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;
const lines: Record<string, unknown>[] = [];
const raw: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", UPSTREAM_STALL_MS: "800" });
  const { setLogDestinationForTests } = await import("@/lib/log/logger");
  setLogDestinationForTests(
    new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split("\n").filter(Boolean)) {
          raw.push(l);
          lines.push(JSON.parse(l) as Record<string, unknown>);
        }
        done();
      },
    }),
  );
  app = await serveApp({}, { wholeServer: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

async function chat(cookie: string, text: string, model = "gpt-4o"): Promise<{ requestId: string; replyId: string }> {
  const res = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id: randomUUID(), model, message: { id: randomUUID(), text } }),
  });
  expect(res.status).toBe(200);
  const requestId = res.headers.get("x-request-id")!;
  const body = await readSseText(res);
  const replyId = /"messageId":"([^"]+)"/.exec(body)![1];
  return { requestId, replyId };
}

const replyLine = (replyId: string) => waitFor(async () => lines.find((l) => l.kind === "reply" && l.reply_id === replyId));

describe("reply log lines", () => {
  it("two users at once, after a third opened the upstream connections and the ticker: each reply's line names its own request and user", async () => {
    const first = await signedIn();
    await chat(first.cookie, "warm up the pooled upstream connections");
    const [a, b] = await Promise.all([signedIn(), signedIn()]);
    const [ra, rb] = await Promise.all([chat(a.cookie, "Tell me about lighthouses"), chat(b.cookie, "Tell me about rivers")]);
    for (const [who, r] of [
      [a, ra],
      [b, rb],
    ] as const) {
      const line = await replyLine(r.replyId);
      expect(line).toMatchObject({ request_id: r.requestId, user_id: who.user.id });
    }
  });

  it("a reply the process's ticker ends (a stalled upstream) still names its own request, not the one that started the ticker", async () => {
    // A slow reply of someone else keeps the ticker running (it was started within that request).
    const other = await signedIn();
    const slow = chat(other.cookie, "Write a long story about lighthouses", "gpt-4");
    await waitFor(async () => lines.some((l) => l.kind === "request" && l.user_id === other.user.id));
    const user = await signedIn();
    const r = await chat(user.cookie, "Tell me a story [[sim:stall_after=3]]");
    const line = await replyLine(r.replyId);
    expect(line).toMatchObject({ request_id: r.requestId, user_id: user.user.id, finish_reason: "error" });
    const s = await slow;
    expect(await replyLine(s.replyId)).toMatchObject({ request_id: s.requestId, user_id: other.user.id });
  }, 60_000);

  it("name replicas by pool and index, never by address", async () => {
    const replies = lines.filter((l) => l.kind === "reply");
    expect(replies.length).toBeGreaterThanOrEqual(4);
    for (const l of replies) expect(l.replica).toMatch(/^[\w.-]+\/(\d+|\?)$/);
    expect(raw.join("\n")).not.toContain(sim.url);
    expect(raw.join("\n")).not.toMatch(/127\.0\.0\.1:\d+/);
  });
});
