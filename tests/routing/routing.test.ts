// Routing through the real gateway pipeline: several simulator replicas, one that always fails and
// one that is gone, a catalog with a fallback, an experiment and the "auto" cascade. Real HTTP, real DB.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { FAST_MODELS, newUser, readUiStream, waitFor } from "../support/gateway-harness";

let good: InferenceServer;
let other: InferenceServer;
let bad: InferenceServer;
let slow: InferenceServer;
let deadUrl: string;

const sim = (faults = "") => startInferenceServer({ port: 0, config: { models: FAST_MODELS, faults, faultDirectives: true } });

beforeAll(async () => {
  [good, other, bad, slow] = await Promise.all([sim(), sim(), sim("status=500"), sim("slow_first_token_ms=5000")]);
  const gone = await sim();
  deadUrl = gone.url;
  await gone.close();
  const model = (id: string, replicas: string[], extra: Record<string, unknown> = {}) => ({
    id,
    label: id,
    contextWindow: 16_000,
    maxOutputTokens: 120, // short replies keep the test quick; they may end with "length"
    pricing: { inputPerM: id === "strong" ? 10 : 1, outputPerM: id === "strong" ? 30 : 2 },
    pools: [{ name: `${id}-pool`, upstreamModel: "sim-small", replicas: replicas.map((url) => ({ url })) }],
    ...extra,
  });
  const catalog = {
    defaultModel: "pair",
    // Titles go to a healthy model, so only the requests under test reach the failing replica.
    utilityModel: "backup",
    models: [
      model("pair", [bad.url, good.url]),
      model("spread", [good.url, other.url]),
      model("hesitant", [slow.url, other.url]),
      model("downed", [deadUrl], { fallback: "backup" }),
      model("backup", [other.url]),
      model("cheap", [good.url]),
      model("strong", [other.url]),
      { ...model("auto", []), pools: [], cascade: { cheap: "cheap", strong: "strong" } },
      { ...model("exp", [good.url]), pools: [{ name: "exp-pool", upstreamModel: "sim-echo", replicas: [{ url: good.url }] }] },
    ],
    experiments: [
      {
        name: "prompt-test",
        model: "exp",
        share: 1,
        variants: [
          { name: "a", systemPrompt: "You are variant A." },
          { name: "b", systemPrompt: "You are variant B.", temperature: 0.3 },
        ],
      },
    ],
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "models.json");
  fs.writeFileSync(file, JSON.stringify(catalog));
  Object.assign(process.env, { MODELS_CONFIG: file, ROUTER_POLL_MS: "0", ROUTER_FAILURE_THRESHOLD: "3", ROUTER_OPEN_MS: "100", ROUTER_FIRST_TOKEN_TIMEOUT_MS: "400" });
});
afterAll(async () => {
  await Promise.all([good?.close(), other?.close(), bad?.close(), slow?.close()]);
});

async function deps() {
  const [{ startReply }, { uiMessageStream }, messages, { getDb }, schema, balancer, replicas, router] = await Promise.all([
    import("../support/turns"),
    import("../support/turns"),
    import("@/db/queries/messages"),
    import("@/db"),
    import("@/db/schema"),
    import("@/lib/routing/balancer"),
    import("@/lib/routing/replicas"),
    import("@/lib/routing/router"),
  ]);
  return { startReply, uiMessageStream, ...messages, getDb, schema, ...balancer, ...replicas, ...router };
}

type User = Awaited<ReturnType<typeof newUser>>;

async function ask(model: string, text: string, opts: { user?: User; conversationId?: string } = {}) {
  const d = await deps();
  const user = opts.user ?? (await newUser());
  const conversationId = opts.conversationId ?? randomUUID();
  const { run, userMessageId } = await d.startReply(user, { conversationId, model, message: { id: randomUUID(), text } });
  const stream = await readUiStream(d.uiMessageStream(run, userMessageId));
  const saved = await waitFor(async () => {
    const m = await d.getMessageById({ id: run.id, userId: user.id });
    return m?.finishReason ? m : null;
  });
  const db = await d.getDb();
  const usage = await waitFor(async () => {
    const [row] = await db.select().from(d.schema.usageEvents).where(eq(d.schema.usageEvents.messageId, run.id));
    return row ?? null;
  });
  return { user, conversationId, run, stream, saved, usage };
}

/** Conversation ids whose first affinity choice in `urls` is `first`. */
async function idsPreferring(first: string, urls: string[], n: number): Promise<string[]> {
  const d = await deps();
  const pool = urls.map((url) => ({ url, weight: 1 }));
  const out: string[] = [];
  while (out.length < n) {
    const id = randomUUID();
    if (d.preferenceOrder(id, pool)[0] === first) out.push(id);
  }
  return out;
}

describe("routing", () => {
  it("retries a failure before the first token on another replica, then ejects the failing one", async () => {
    const d = await deps();
    const ids = await idsPreferring(bad.url, [bad.url, good.url], 4);
    for (const [i, conversationId] of ids.entries()) {
      const { saved, usage } = await ask("pair", "Tell me a fact", { conversationId });
      expect(["stop", "length"]).toContain(saved.finishReason);
      expect(saved.replica).toBe(good.url);
      expect(usage).toMatchObject({ model: "pair", pool: "pair-pool", replica: good.url });
      const state = d.replicaState(bad.url).breaker.state;
      // Three consecutive failures open the breaker; the fourth request never reaches the bad replica.
      expect(state).toBe(i < 2 ? "closed" : "open");
    }
    const stats = (await (await fetch(`${bad.url}/sim/stats`)).json()) as { failed: number };
    expect(stats.failed).toBe(3);

    // A successful health probe after the cool-down half-opens it; the trial request fails → open again.
    await new Promise((r) => setTimeout(r, 120));
    await d.pollReplicas();
    expect(d.replicaState(bad.url).breaker.state).toBe("half-open");
    const { saved } = await ask("pair", "Another fact", { conversationId: (await idsPreferring(bad.url, [bad.url, good.url], 1))[0] });
    expect(saved.replica).toBe(good.url);
    expect(d.replicaState(bad.url).breaker.state).toBe("open");
  });

  it("retries elsewhere when a replica sends no first token in time, and cancels the slow request", async () => {
    const [conversationId] = await idsPreferring(slow.url, [slow.url, other.url], 1);
    const started = Date.now();
    const { saved } = await ask("hesitant", "Are you there?", { conversationId });
    expect(saved.replica).toBe(other.url);
    expect(["stop", "length"]).toContain(saved.finishReason);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(saved.ttftMs).toBeGreaterThanOrEqual(400);
    // The slow replica saw the client go away (its slot is free again).
    const stats = await waitFor(async () => {
      const st = (await (await fetch(`${slow.url}/sim/stats`)).json()) as { running: number; waiting: number; aborted: number };
      return st.aborted === 1 ? st : null;
    });
    expect(stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it("does not retry after the first token: the partial reply is kept as an error", async () => {
    const { saved, stream } = await ask("spread", "Go [[sim:fail_after=3]]");
    expect(saved.finishReason).toBe("error");
    expect(saved.content).toBe(stream.text);
  });

  it("serves from the fallback model when the whole pool is down, and records which model answered", async () => {
    const d = await deps();
    const { saved, usage, stream } = await ask("downed", "Hello there");
    expect(saved).toMatchObject({ model: "backup", replica: other.url });
    expect(["stop", "length"]).toContain(saved.finishReason);
    expect(usage).toMatchObject({ model: "backup", pool: "backup-pool" });
    expect(stream.events.find((e) => e.type === "finish")).toMatchObject({ messageMetadata: { model: "backup" } });
    // Ejected after enough failures, then the fallback is chosen without trying the dead replica.
    await ask("downed", "Again");
    await ask("downed", "And again");
    expect(d.replicaState(deadUrl).breaker.state).toBe("open");
    const target = await d.pickTarget((await import("@/lib/models/catalog")).findModel("downed")!, "free");
    expect(target).toMatchObject({ model: "backup", fallbackFrom: "downed" });

    // The app's /metrics exposes the routing events and each replica's breaker state.
    const { metrics } = await import("@/lib/metrics/registry");
    const text = await metrics().registry.metrics();
    const value = (series: string) => Number(text.split("\n").find((l) => l.startsWith(series))?.split(" ").pop());
    expect(value('gateway_routing_events_total{event="retry"}')).toBeGreaterThanOrEqual(4);
    expect(value('gateway_routing_events_total{event="fallback"}')).toBeGreaterThanOrEqual(1);
    expect(value('gateway_routing_events_total{event="eject"}')).toBeGreaterThanOrEqual(2);
    expect(value(`gateway_replica_up{replica="${deadUrl}"}`)).toBe(0);
    expect(value(`gateway_replica_up{replica="${good.url}"}`)).toBe(1);
  });

  it("keeps a conversation on one replica (affinity) and reports pool saturation", async () => {
    const d = await deps();
    const { user, conversationId, saved } = await ask("spread", "First question");
    for (let i = 0; i < 3; i++) {
      const next = await ask("spread", `Follow-up ${i}`, { user, conversationId });
      expect(next.saved.replica).toBe(saved.replica);
    }
    const sat = d.poolSaturation("spread-pool");
    expect(sat).toMatchObject({ pool: "spread-pool", inFlight: 0, replicas: 2, healthyReplicas: 2 });
    expect(sat.waiting).toBe(0);
    expect(d.modelPoolWaiting("spread", "free")).toBe(0);
  });

  it("assigns experiment variants stickily and records them on the message and the usage event", async () => {
    const user = await newUser();
    const first = await ask("exp", "Which variant?", { user });
    const echo = JSON.parse(first.stream.text) as { messages: { role: string; content: string }[]; params: Record<string, unknown> };
    const variant = first.saved.variant;
    expect(["a", "b"]).toContain(variant);
    expect(first.saved.experiment).toBe("prompt-test");
    expect(first.usage).toMatchObject({ experiment: "prompt-test", variant });
    expect(echo.messages[0].content).toContain(`You are variant ${variant!.toUpperCase()}.`);
    if (variant === "b") expect(echo.params.temperature).toBe(0.3);
    for (let i = 0; i < 3; i++) expect((await ask("exp", `Again ${i}`, { user })).saved.variant).toBe(variant);
  });

  it("routes the auto model by the cascade and records the model that answered", async () => {
    const d = await deps();
    const simple = await ask("auto", "hi, what's the capital of France?");
    expect(simple.saved.model).toBe("cheap");
    expect(simple.usage.model).toBe("cheap");
    const hard = await ask(
      "auto",
      "Design a fault-tolerant job scheduler in TypeScript: compare leader election approaches, analyze the trade-offs, and write the core function step by step.",
    );
    expect(hard.saved.model).toBe("strong");
    expect(Number(hard.usage.costUsd)).toBeGreaterThan(0);
    const db = await d.getDb();
    const rows = await db
      .select({ model: d.schema.messages.model })
      .from(d.schema.messages)
      .where(and(eq(d.schema.messages.conversationId, hard.conversationId), eq(d.schema.messages.role, "assistant")));
    expect(rows).toEqual([{ model: "strong" }]);
  });
});

describe("feedback and experiment figures", () => {
  it("stores one vote per user per reply, only on the owner's assistant messages", async () => {
    const { setFeedback, listFeedbackByMessageIds } = await import("@/db/queries/feedback");
    const { user, run, saved } = await ask("exp", "Rate me");
    expect(await setFeedback({ messageId: run.id, userId: user.id, rating: "good" })).toEqual({ rating: "good" });
    expect(await setFeedback({ messageId: run.id, userId: user.id, rating: "bad" })).toEqual({ rating: "bad" });
    expect([...(await listFeedbackByMessageIds({ userId: user.id, messageIds: [run.id] }))]).toEqual([[run.id, "bad"]]);
    const stranger = await newUser();
    expect(await setFeedback({ messageId: run.id, userId: stranger.id, rating: "good" })).toBeNull();
    expect(await setFeedback({ messageId: saved.parentId!, userId: user.id, rating: "good" })).toBeNull(); // a user message
    expect(await setFeedback({ messageId: run.id, userId: user.id, rating: null })).toEqual({ rating: null });
    expect((await listFeedbackByMessageIds({ userId: user.id, messageIds: [run.id] })).size).toBe(0);
  });

  it("reports requests, votes and regenerations per variant", async () => {
    const d = await deps();
    const { setFeedback } = await import("@/db/queries/feedback");
    const { listExperimentVariantStats } = await import("@/db/queries/experiments");
    const { buildExperimentReports } = await import("@/lib/routing/experiment-report");
    const { getCatalog } = await import("@/lib/models/catalog");
    const before = await listExperimentVariantStats({ days: 1 });
    const user = await newUser();
    const first = await ask("exp", "Question one", { user });
    await setFeedback({ messageId: first.run.id, userId: user.id, rating: "good" });
    // Regenerate the reply: a second assistant message under the same user message.
    const { run } = await d.startReply(user, { conversationId: first.conversationId, model: "exp", regenerateFrom: first.saved.parentId! });
    await readUiStream(d.uiMessageStream(run, first.saved.parentId!));
    await waitFor(async () => (await d.getMessageById({ id: run.id, userId: user.id }))?.finishReason);
    const after = await waitFor(async () => {
      const rows = await listExperimentVariantStats({ days: 1 });
      const total = (rs: typeof rows) => rs.reduce((s, r) => s + r.requests, 0);
      return total(rows) === total(before) + 2 ? rows : null;
    });
    const row = (rows: typeof after) => rows.find((r) => r.variant === first.saved.variant) ?? { requests: 0, good: 0, regenerated: 0 };
    expect(row(after).requests - row(before).requests).toBe(2);
    expect(row(after).good - row(before).good).toBe(1);
    expect(row(after).regenerated - row(before).regenerated).toBe(1);
    const mine = after.find((r) => r.variant === first.saved.variant)!;
    expect(mine.ttftP50Ms).not.toBeNull();
    expect(mine.tokensPerReply).toBeGreaterThan(0);

    const [report] = buildExperimentReports(after, getCatalog().experiments);
    expect(report).toMatchObject({ name: "prompt-test", control: "a", configured: true });
    expect(report.variants.map((v) => v.variant)).toEqual(["a", "b"]);
  });
});
