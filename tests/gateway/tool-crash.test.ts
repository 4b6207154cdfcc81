// A server that dies in the middle of a tool loop (kill -9 of the serving process) keeps the reply's
// finished steps: each step (its call, its result, the file it stored) is saved as it completes,
// and the recovery of interrupted replies ends the reply `interrupted` with its checkpointed text
// below them. The serving process is a real one (tests/support/app-process.ts) on the test's
// database, against the simulator's tools contract ("draw …" calls generate_image, whose PNG is
// stored as the step's file; the model's next turn is slow, so the kill lands while it streams).
// Recovery as each deployment has it:
// - embedded PGlite (one instance): the restarted process sweeps at start-up;
// - PostgreSQL (DATABASE_URL): a second instance sharing Redis sees the dead one's lease lapse
//   (needs redis-server; a private one is started).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { freePort } from "@/scripts/free-port";
import { privateRedis, type PrivateRedis } from "../multi/redis-server";
import { readSseText, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { TEST_AUTH_SECRET } from "../support/session-cookie";

const postgres = Boolean(process.env.DATABASE_URL);
const hasRedis = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-crash-"));
let sim: InferenceServer;
let redis: PrivateRedis | null = null;
const children: ChildProcess[] = [];

interface Served {
  child: ChildProcess;
  url: string;
  cookie?: string;
  userId?: string;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AUTH_SECRET: TEST_AUTH_SECRET,
    UPSTASH_REDIS_REST_URL: "",
    REDIS_URL: redis?.url ?? "",
    LIVE_KEY_PREFIX: `crash-${process.pid}:`,
    // The test's own database: PostgreSQL's per-run database, or a PGlite directory both processes use in turn.
    DATABASE_URL: process.env.DATABASE_URL ?? "",
    PGLITE_DIR: path.join(dir, "pglite"),
    FILES_DIR: path.join(dir, "files"),
    MODELS_CONFIG: path.join(dir, "models.json"),
    PYTHON_SANDBOX: "off",
    CHECKPOINT_MS: "100",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

async function serve(extra: Record<string, string> = {}): Promise<Served> {
  const script = path.resolve(import.meta.dirname, "../support/app-process.ts");
  const child = spawn(process.execPath, ["--import", "tsx/esm", script], { env: childEnv(extra), stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-4_000)));
  return new Promise<Served>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`app process did not start: ${err}`)), 150_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const line = out.split("\n").find((l) => l.startsWith("READY "));
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, ...(JSON.parse(line.slice(6)) as Omit<Served, "child">) });
    });
    child.once("exit", (code, signal) => reject(new Error(`app process exited (${code ?? signal}): ${err}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

beforeAll(async () => {
  sim = await startSimulator();
  fs.writeFileSync(
    path.join(dir, "models.json"),
    JSON.stringify({
      defaultModel: "slow",
      utilityModel: "slow",
      imageModel: { url: sim.url, model: "sim-image" },
      // sim-large decodes 40 tokens/s: the model's answer after the step streams for seconds.
      models: [{ id: "slow", label: "Slow", contextWindow: 32_000, maxOutputTokens: 1_000, pricing: { inputPerM: 0, outputPerM: 0 }, simulated: true, tools: true, pools: [{ name: "slow", upstreamModel: "sim-large", replicas: [{ url: sim.url }] }] }],
    }),
  );
  if (postgres && hasRedis) {
    redis = privateRedis(await freePort(), fs.mkdtempSync(path.join(dir, "redis-")), { durable: false });
    await redis.start();
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(children.map(kill9));
  await redis?.stop();
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Ui = { type: string; delta?: string; output?: { display: { kind: string }; files: { id: string; mime: string }[] } };
type Chunk = { choices: { delta: { content?: string; tool_calls?: { index: number; id: string; function: { name: string } }[] } }[]; tool_result?: { tool_call_id: string; display: { kind: string }; files: { id: string }[] }; error?: unknown };
type ApiMessage = { id: string; role: string; content: string; finish_reason: string | null; error?: string | null; tool_calls?: { id: string }[]; tool_call_id?: string; tool_result?: { display: { kind: string }; files: { id: string; mime: string }[] } };

describe.skipIf(postgres && !hasRedis)("a tool loop whose server is killed", () => {
  it("keeps the finished step (call, result, file) and the partial text, ended interrupted, shown on reload", async () => {
    const first = await serve({ SEED_USER: "1" });
    const { cookie } = first as Required<Served>;
    // PostgreSQL: the other instance runs from the start (it watches the leases in Redis).
    const second = postgres ? serve() : null;
    const conversationId = randomUUID();
    const res = await fetch(`${first.url}/api/chat`, {
      method: "POST",
      headers: { cookie, origin: first.url, "content-type": "application/json" },
      body: JSON.stringify({ id: conversationId, model: "slow", message: { id: randomUUID(), text: "draw a lighthouse at dusk" } }),
    });
    expect(res.status).toBe(200);
    // Read until the step is done and the answer after it is streaming, then let a checkpoint land.
    const parse = (text: string) => sseEvents(text).filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as Ui);
    const afterStep = (ui: Ui[]) => ui.slice(ui.findIndex((e) => e.type === "tool-output-available") + 1).filter((e) => e.type === "text-delta");
    const seen = parse(
      await readSseText(res, (text) => {
        const ui = parse(text);
        return ui.some((e) => e.type === "tool-output-available") && afterStep(ui).length >= 8;
      }),
    );
    const result = seen.find((e) => e.type === "tool-output-available")!;
    expect(result.output).toMatchObject({ display: { kind: "generate_image" } });
    const [image] = result.output!.files;
    expect(image.mime).toBe("image/png");
    await new Promise((r) => setTimeout(r, 600)); // CHECKPOINT_MS is 100
    const streamed = afterStep(seen).map((e) => e.delta).join("");
    await kill9(first.child);

    // PGlite: the restart's start-up sweep ends it; PostgreSQL: the other instance, once the lease lapses.
    const recovered = await (second ?? serve());
    const get = (p: string) => fetch(`${recovered.url}${p}`, { headers: { cookie } });
    const messages = await waitFor(async () => {
      const body = (await (await get(`/v1/conversations/${conversationId}`)).json()) as { messages: ApiMessage[] };
      return body.messages.at(-1)?.finish_reason ? body.messages : null;
    }, 30_000);

    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const [, call, tool, reply] = messages;
    expect(call.finish_reason).toBe("tool_calls");
    expect(tool.tool_call_id).toBe(call.tool_calls![0].id);
    expect(tool.tool_result).toMatchObject({ display: { kind: "generate_image" }, files: [{ id: image.id, mime: "image/png" }] });
    expect(reply.finish_reason).toBe("interrupted");
    expect(reply.error).toBe("The server stopped while this reply was being written.");
    // The checkpointed text: the answer after the step as far as it was saved (not the step's own text).
    expect(reply.content.length).toBeGreaterThan(0);
    expect(streamed.startsWith(reply.content) || reply.content.startsWith(streamed)).toBe(true);
    expect(reply.content).toContain("The tool returned:");

    // The step's image is stored and served to its owner.
    const file = await get(`/api/files/${image.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(100);

    // What the chat shows after a reload: one reply, the step folded in, its partial text, interrupted.
    const { apiMessagesToChatUIMessages } = await import("@/lib/chat/ui-messages");
    const shown = apiMessagesToChatUIMessages(messages as never);
    expect(shown.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(shown[1].id).toBe(reply.id);
    expect(shown[1].parts.map((p) => p.type)).toEqual(["dynamic-tool", "text"]);
    expect(shown[1].parts[0]).toMatchObject({ state: "output-available", output: { display: { kind: "generate_image" } } });
    expect(shown[1].metadata).toMatchObject({ finishReason: "interrupted", versionId: call.id });

    // The conversation API's stream of the reply (from its log, or rebuilt from its rows) has the step too.
    const chunks = sseEvents(await readSseText(await get(`/v1/conversations/${conversationId}/messages`)))
      .filter((e) => e.data.startsWith("{"))
      .map((e) => JSON.parse(e.data) as Chunk);
    const calls = chunks.flatMap((c) => c.choices?.[0]?.delta.tool_calls ?? []);
    expect(calls).toMatchObject([{ index: 0, id: call.tool_calls![0].id, function: { name: "generate_image" } }]);
    expect(chunks.find((c) => c.tool_result)?.tool_result).toMatchObject({ tool_call_id: call.tool_calls![0].id, files: [{ id: image.id }] });
    expect(chunks.map((c) => c.choices?.[0]?.delta.content ?? "").join("")).toContain(reply.content);
    expect(chunks.at(-1)?.error).toBeDefined(); // interrupted ends as an error chunk (OpenAI has no such finish)
  }, 300_000);
});
