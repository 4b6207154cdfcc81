// Files a tool writes count against the owner's storage quota like uploads (review finding 5): over
// real HTTP through the whole app server, with the real simulator's tools contract driving a real
// sandboxed Python run and its images endpoint. What fits is stored; what does not is not, and the
// step says so to the model (the tool message it gets) and to the user (the step's display).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { DEFAULT_LIMITS } from "@/lib/limits/config";
import { probeIsolation } from "@/lib/tools/python/isolation";
import { readSseText, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-quota-"));
const QUOTA = 1024 * 1024;

beforeAll(async () => {
  const limits = path.join(dir, "limits.json");
  fs.writeFileSync(limits, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, messages: {}, files: { perMessage: 4, bytesPerFile: QUOTA, totalBytes: QUOTA } } }));
  sim = await startSimulator({
    AUTH_SECRET: TEST_AUTH_SECRET,
    REDIS_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    LIMITS_CONFIG: limits,
    PYTHON_POOL_SIZE: "1",
    FILES_DIR: path.join(dir, "files"),
  });
  app = await serveApp({}, { wholeServer: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  const { closePythonPoolForTests } = await import("@/lib/tools/python");
  closePythonPoolForTests();
});

type Output = { content?: string; isError: boolean; display: Record<string, unknown>; files: { id: string; name: string; size: number }[] };
type Ui = { type: string; delta?: string; output?: Output };

async function turn(cookie: string, conversationId: string, text: string) {
  const res = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id: conversationId, model: "gpt-4o", message: { id: randomUUID(), text } }),
  });
  expect(res.status).toBe(200);
  const ui = sseEvents(await readSseText(res))
    .filter((e) => e.data.startsWith("{"))
    .map((e) => JSON.parse(e.data) as Ui);
  return { result: ui.find((e) => e.type === "tool-output-available")!.output!, text: ui.filter((e) => e.type === "text-delta").map((e) => e.delta).join("") };
}

async function usedBytes(cookie: string): Promise<{ used: number; total: number }> {
  const res = await fetch(`${app.url}/api/files`, { headers: { cookie } });
  const body = (await res.json()) as { used_bytes: number; total_bytes: number };
  return { used: body.used_bytes, total: body.total_bytes };
}

async function toolMessages(conversationId: string, userId: string) {
  const { getActivePath } = await import("@/db/queries/messages");
  return waitFor(async () => {
    const p = await getActivePath({ conversationId, userId });
    return p.at(-1)?.finishReason ? p.filter((m) => m.role === "tool") : null;
  }, 30_000);
}

const python = (code: string) => `Run this:\n\`\`\`python\n${code}\n\`\`\``;
const writeFiles = (names: string[]) => names.map((n) => `open("${n}", "wb").write(os.urandom(400 * 1024))`).join("\n");

describe.runIf(probeIsolation().ok)("tool files and the storage quota", () => {
  it("stores what fits, leaves the rest out and says so to the model and the user; a full quota refuses an image too", async () => {
    const { user, cookie } = await signedIn();
    const conversationId = randomUUID();
    // 3 × 400 KB against a 1 MB quota: two fit.
    const first = await turn(cookie, conversationId, python(`import os\n${writeFiles(["a.bin", "b.bin", "c.bin"])}\nprint("wrote")`));
    expect(first.result.files.map((f) => f.name)).toEqual(["a.bin", "b.bin"]);
    expect(first.result.display).toMatchObject({ kind: "python", stdout: "wrote\n", stderr: expect.stringMatching(/Not saved, because the user's file storage is full .*: c\.bin/) });
    const quota = await usedBytes(cookie);
    expect(quota.total).toBe(QUOTA);
    expect(quota.used).toBe(800 * 1024);
    // The model was told: its tool message carries the note (and the simulator's answer quotes the tool).
    const [tool] = await toolMessages(conversationId, user.id);
    expect(tool.content).toMatch(/Not saved, because the user's file storage is full .*: c\.bin/);

    // Each file on its own: a big one is left out, a smaller one after it still fits.
    const second = await turn(cookie, conversationId, python(`import os\nopen("d.bin", "wb").write(os.urandom(400 * 1024))\nopen("e.bin", "wb").write(os.urandom(220 * 1024))`));
    expect(second.result.files.map((f) => f.name)).toEqual(["e.bin"]);
    expect(String(second.result.display.stderr)).toMatch(/Not saved.*: d\.bin\./);
    expect((await usedBytes(cookie)).used).toBe(1020 * 1024);

    // A generated image (~19 KB) when 4 KB are left: the step fails with the note instead of an image.
    const image = await turn(cookie, conversationId, "draw a red fox in the snow");
    expect(image.result).toMatchObject({ isError: true, files: [], display: { kind: "error", tool: "generate_image", message: expect.stringMatching(/Not saved, because the user's file storage is full/) } });
    expect((await usedBytes(cookie)).used).toBe(1020 * 1024);

    const { listFilesWithTextByIds } = await import("@/db/queries/files");
    expect(await listFilesWithTextByIds({ ids: first.result.files.map((f) => f.id), userId: user.id })).toHaveLength(2);
  }, 120_000);
});
