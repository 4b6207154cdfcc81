// Hostile text does not stall the server (review findings 1 and 3): a message that made the tokenizer
// or the "auto" classifier run for tens of seconds on the event loop — 100 KB of one letter, 40 k CJK
// characters, 45 k digits or 100 k newlines for auto — is answered while /api/health/live keeps
// answering throughout, over real HTTP through the app server's own routing, on the real simulator.
// The health checks come from another thread (tests/support/liveness-probe.ts); the bound (each
// answered within 2 s) is generous: before the fixes each of these held the event loop for seconds
// to a minute.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, readSseText, startSimulator } from "../support/gateway-harness";
import { livenessDuring } from "../support/liveness-probe";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "" });
  app = await serveApp({}, { wholeServer: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

const HEALTH_BOUND_MS = 2_000;

/** Runs `work` while another thread polls the liveness route; the slowest poll's time. */
const healthDuring = <T>(work: () => Promise<T>) => livenessDuring(`${app.url}/api/health/live`, work);

/** POST /api/chat as the browser sends it; the status and the whole body (the reply, or the error). */
async function chat(cookie: string, model: string, text: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id: randomUUID(), model, message: { id: randomUUID(), text } }),
  });
  return { status: res.status, body: res.status === 200 ? await readSseText(res) : await res.text() };
}

async function completion(key: string, model: string, content: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }] }),
  });
  return { status: res.status, body: await res.text() };
}

describe("token counting on hostile text", () => {
  it.each([
    ["100 KB of one letter", "a".repeat(100_000)],
    ["40 k CJK characters", "漢".repeat(40_000)],
    ["100 k accented letters", "é".repeat(100_000)],
  ])("%s: counted and answered while the server keeps answering", async (_shape, text) => {
    const { cookie } = await signedIn();
    const { result, slowestMs } = await healthDuring(() => chat(cookie, "gpt-4o", text));
    expect([200, 413]).toContain(result.status);
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  });

  it("a text that cannot fit is refused without being counted in full (413 names the limit)", async () => {
    const { cookie } = await signedIn();
    // 100 k tokens for gpt-3.5-turbo's 16 k window.
    const { result, slowestMs } = await healthDuring(() => chat(cookie, "gpt-3.5-turbo", "é".repeat(100_000)));
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toMatchObject({ code: "context_length_exceeded", message: expect.stringMatching(/Your message is more than \d+ tokens/) });
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  });

  it("special-token text (<|endoftext|>) is text like any other: a reply, not a 500", async () => {
    const { cookie } = await signedIn();
    const r = await chat(cookie, "gpt-4o", "what does <|endoftext|> mean? and <|im_start|>?");
    expect(r.status).toBe(200);
    expect(r.body).toContain('"finishReason":"stop"');
  });
});

describe("the auto classifier on hostile text", () => {
  it.each([
    ["45 k digits", "1".repeat(45_000)],
    ["100 k newlines", `x${"\n".repeat(100_000)}x`],
    ["25 k space-newline pairs", `x${" \n".repeat(25_000)}x`],
    ["one 60 k word", "abcd".repeat(15_000)],
  ])("%s through model auto: classified and answered while the server keeps answering", async (_shape, content) => {
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const user = await newUser();
    const { key } = await issueApiKey(user.id, "hostile");
    const { result, slowestMs } = await healthDuring(() => completion(key, "auto", content));
    // Each fits auto's window, so the classifier runs; the answer names the model it picked.
    expect(result.status, result.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(result.body).model).toMatch(/^gpt-/);
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  });
});
