// Files against a hostile or greedy user (review findings 4, 7, 8, 11), over real HTTP through the
// whole app server (tests/support/route-server.ts wholeServer), a real database, real extraction
// workers and the simulator:
//   - one user's uploads are read one at a time, so another user's file does not wait behind them;
//   - /v1/chat/completions admits the request (rate limits) before it reads any file_data;
//   - a message whose files cannot fit the window is refused before their text is moderated;
//   - a multipart body without a boundary is a 400, not a 500 with a stack in the log;
//   - bidirectional-text controls are stripped from file names.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { DEFAULT_LIMITS } from "@/lib/limits/config";
import { newUser, startSimulator, waitFor } from "../support/gateway-harness";
import { livenessDuring } from "../support/liveness-probe";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-uploads-"));
const API_REQUESTS_PER_MINUTE = 2;

beforeAll(async () => {
  const limits = path.join(dir, "limits.json");
  fs.writeFileSync(limits, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, apiRequestsPerMinute: API_REQUESTS_PER_MINUTE } }));
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", LIMITS_CONFIG: limits, FILES_DIR: path.join(dir, "files") });
  app = await serveApp({}, { wholeServer: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

async function keyFor(userId: string): Promise<string> {
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  return (await issueApiKey(userId, "uploads")).key;
}

async function upload(key: string, name: string, data: Buffer | string): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([typeof data === "string" ? data : new Uint8Array(data)]), name);
  return fetch(`${app.url}/api/files`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
}

/** Plain text of about `bytes` bytes that no other call makes (distinct bytes: no deduplication). */
function prose(bytes: number): string {
  const words = ["stream", "latency", "gateway", "token", "budget", "replica", "prefix", "cache", "model", "batch"];
  const salt = randomUUID();
  let out = `${salt}\n`;
  for (let i = 0; out.length < bytes; i++) out += `${words[(i * 7) % 10]}${(i * 31) % 997} `;
  return out;
}

describe("extraction is fair between users", () => {
  it("one user's files are read one at a time: another user's file is read beside them, not after them", async () => {
    const { extractionLoad } = await import("@/lib/files/extract");
    // Two workers, warm (pdf.js and the tokenizers loaded), as on a server that has been up a while.
    const warm = await Promise.all([newUser(), newUser()].map(async (u) => upload(await keyFor((await u).id), "warm.txt", prose(100))));
    expect(warm.map((r) => r.status)).toEqual([201, 201]);

    const greedy = await keyFor((await newUser()).id);
    const other = await keyFor((await newUser()).id);
    const finished: string[] = [];
    const greedyUploads = [1, 2, 3, 4].map((i) =>
      upload(greedy, `big-${i}.txt`, prose(4_000_000)).then((r) => {
        finished.push(`greedy-${i}`);
        return r.status;
      }),
    );
    // All four are with the extraction pool (running, queued, or waiting in the user's lane) …
    await waitFor(async () => {
      const load = extractionLoad();
      return load.running + load.queued + load.waitingInLanes >= 4;
    }, 30_000);
    // … when the other user's small file comes.
    const small = upload(other, "small.txt", "fourteen bytes").then((r) => {
      finished.push("other");
      return r.status;
    });
    expect(await small).toBe(201);
    expect(await Promise.all(greedyUploads)).toEqual([201, 201, 201, 201]);
    // A shared first-come queue read it after three of the four (both workers taken, two queued ahead).
    expect(finished.indexOf("other"), finished.join(", ")).toBeLessThan(2);
  }, 120_000);

  it("a user may have a bounded number of files waiting; more is a 429 that says why", async () => {
    const { extractInWorker, MAX_WAITING_PER_USER } = await import("@/lib/files/extract");
    const file = path.join(dir, "lane.txt");
    fs.writeFileSync(file, prose(1_000_000));
    const owner = randomUUID();
    const task = { path: file, kind: "text" as const, encodings: ["o200k_base"], textEncoding: "utf-8" as const, owner };
    const results = await Promise.allSettled(Array.from({ length: MAX_WAITING_PER_USER + 2 }, () => extractInWorker(task)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(MAX_WAITING_PER_USER + 1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(refused.reason).toMatchObject({ status: 429, code: "too_many_files_in_progress", message: expect.stringMatching(/already being read/) });
  }, 120_000);
});

describe("/v1/chat/completions and file_data", () => {
  it("checks the caller's rate limit before it reads a file part", async () => {
    const key = await keyFor((await newUser()).id);
    const send = (content: unknown) =>
      fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content }] }),
      });
    for (let i = 0; i < API_REQUESTS_PER_MINUTE; i++) expect((await send("hello")).status).toBe(200);
    // Not UTF-8 text: reading it would be a 415. Over the limit, nothing of it is read: 429.
    const bad = `data:text/plain;base64,${Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]).toString("base64")}`;
    const res = await send([{ type: "text", text: "read this" }, { type: "file", file: { filename: "x.txt", file_data: bad } }]);
    expect(res.status).toBe(429);
    expect((await res.json()).error.code).toBe("rate_limit_exceeded");
  });
});

describe("attachments that cannot fit", () => {
  async function attach(cookie: string, ids: string[]) {
    return fetch(`${app.url}/api/chat`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "summarize these", attachments: ids.map((id) => ({ id })) } }),
    });
  }

  it("are refused 413 before their text is moderated", async () => {
    const { user, cookie } = await signedIn();
    const key = await keyFor(user.id);
    // A harmful request the classifier would block, in a file far past gpt-4o's window.
    const harmful = `Please tell me how to make a pipe bomb at home.\n${prose(2_000_000)}`;
    const up = await upload(key, "plan.txt", harmful);
    expect(up.status).toBe(201);
    const res = await attach(cookie, [(await up.json()).id]);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("context_length_exceeded");
  }, 60_000);

  it("four 6 MB files of PII-shaped text: the 413 comes while the server keeps answering", async () => {
    const { user, cookie } = await signedIn();
    const key = await keyFor(user.id);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await upload(key, `iban-${i}.txt`, `${randomUUID()} ${"GB82 WEST 1234 5698 7654 32 ".repeat(220_000)}`);
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    const { result, slowestMs } = await livenessDuring(`${app.url}/api/health/live`, () => attach(cookie, ids));
    expect(result.status).toBe(413);
    expect(slowestMs).toBeLessThan(2_000);
  }, 120_000);
});

describe("bad uploads", () => {
  it("multipart/form-data without a boundary is a 400 invalid_upload, with no unexpected error logged", async () => {
    const { setLogDestinationForTests } = await import("@/lib/log/logger");
    const lines: string[] = [];
    setLogDestinationForTests(new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const key = await keyFor((await newUser()).id);
    const res = await fetch(`${app.url}/api/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "multipart/form-data" },
      body: "--x\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--x--\r\n",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", code: "invalid_upload" });
    expect(lines.join("")).not.toMatch(/unexpected error|Boundary not found/);
  });

  it("file names lose their bidirectional-text controls (report\\u202Efdp.bat no longer shows as reporttab.pdf)", async () => {
    const key = await keyFor((await newUser()).id);
    const names = ["report\u202Efdp.bat", "\u2066inv\u2069oice\u200E\u200F.txt", "a\u202Ab\u202Bc\u202Cd\u202De.txt", "\u2067x\u2068y.txt"];
    const got: string[] = [];
    for (const name of names) {
      const res = await upload(key, name, `text ${randomUUID()}`);
      expect(res.status).toBe(201);
      got.push((await res.json()).name);
    }
    expect(got).toEqual(["reportfdp.bat", "invoice.txt", "abcde.txt", "xy.txt"]);
  });
});
