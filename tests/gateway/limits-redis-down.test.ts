// The documented policy when the limits' Redis cannot be reached (LIMITS_ON_REDIS_ERROR=open, the
// default): chat turns and API calls go through, a warning is logged and limits_store_errors_total
// counts the checks — never a 500. Redis here is a port nothing listens on.
import net from "node:net";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, readUiStream, startSimulator } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  sim = await startSimulator({ REDIS_URL: `redis://127.0.0.1:${closedPort}`, LIMITS_REDIS_TIMEOUT_MS: "300" });
});
afterAll(async () => {
  await sim?.close();
});

async function storeErrors(): Promise<number> {
  const { metrics } = await import("@/lib/metrics/registry");
  return (await metrics().limitStoreErrors.get()).values.find((v) => v.labels.policy === "open")?.value ?? 0;
}

describe("limits with Redis unreachable (policy open)", () => {
  it("lets a chat turn through, logs and counts it", async () => {
    // The warning is a structured log line (pino): read what the process logger writes.
    const lines: string[] = [];
    const { setLogDestinationForTests } = await import("@/lib/log/logger");
    setLogDestinationForTests(new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split("\n").filter(Boolean)), done()) }));
    const [{ startReply }, { uiMessageStream }] = await Promise.all([import("../support/turns"), import("../support/turns")]);
    const before = await storeErrors();
    const user = await newUser();
    const { run, userMessageId } = await startReply(user, { conversationId: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "hello" } });
    const stream = await readUiStream(uiMessageStream(run, userMessageId));
    expect(stream.done).toBe(true);
    expect(run.result?.finishReason).toBe("stop");
    expect(run.limitNotice).toBeNull();
    expect(await storeErrors()).toBeGreaterThan(before);
    const warning = lines.map((l) => JSON.parse(l) as { level: string; msg: string; policy?: string }).find((l) => l.msg.includes("Redis unavailable"));
    expect(warning).toMatchObject({ level: "warn", policy: "open" });
  });
});
