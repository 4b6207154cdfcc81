// What a turn costs before its upstream call (issue 13, item 6): the route handlers of the browser
// (POST /api/chat) and of the conversation API (POST /v1/conversations/:id/messages) called in this
// process with a real session cookie, a real database and the real simulator, one turn at a time.
// The handler returns its Response right after the upstream request is dispatched, so the time to
// return ≈ the added time before the model is asked (time to headers), and process.cpuUsage() over
// it = the CPU one turn spends before its upstream call (on PGlite that includes the database,
// which runs in this process; on PostgreSQL the server's CPU is not counted). Each reply is read to
// its end and saved before the next turn. Uses only the route handlers' public shape, so the same
// script measures older commits too.
//   npx tsx bench/scenarios/turn-start.ts [--turns=200]        (PGlite in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/scenarios/turn-start.ts
//   … --profile=/tmp/turn.cpuprofile   CPU profile (node:inspector) of the measured handler calls only,
//                                       summarized by area and function (bench/profile.ts)
//   … --burst=100  then, for the conversation API, 100 turns started at once (3 rounds): when each
//                  handler returned (p50 / p99 / last) and the CPU per turn, without HTTP or Redis
//   … --trace    the database statements of the last turn of each door, with their
//                start and end (ms from the handler call): the round trips before the upstream call
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { benchLimits } from "../config";
import { summarizeProfile } from "../profile";
import { percentile } from "../stats";
import { createScratchDatabase } from "../scratch-db";
import { startSimulator } from "../stack";

const SECRET = "turn-start-bench-secret-0123456789abcdef";
const COOKIE = "authjs.session-token";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function main(): Promise<void> {
  const turns = Number(process.argv.find((a) => a.startsWith("--turns="))?.slice(8) ?? 200);
  const profileFile = process.argv.find((a) => a.startsWith("--profile="))?.slice(10);
  const windows: [number, number][] = [];
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const trace = process.argv.includes("--trace") ? traceStatements() : null;
  const burst = Number(process.argv.find((a) => a.startsWith("--burst="))?.slice(8) ?? 0);
  const scratch = await createScratchDatabase("bench_turn_start");
  // The simulator in its own process (its CPU is not the gateway's).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "turn-start-"));
  const sim = await startSimulator(dir, { models: [{ name: "sim-small", baseTtftMs: 1, decodeTokensPerS: 5_000 }] });
  // Limits the load cannot reach (as the bench's app has): every check still runs.
  const limitsFile = path.join(dir, "limits.json");
  fs.writeFileSync(limitsFile, JSON.stringify(benchLimits()));
  Object.assign(process.env, { LIMITS_CONFIG: limitsFile, INFERENCE_URL: sim.url, INFERENCE_LOCAL: "1", AUTH_SECRET: SECRET, ROUTER_POLL_MS: "0", UPSTASH_REDIS_REST_URL: "" });
  try {
    const { createUser } = await import("../../db/queries/users");
    const { openServerSession } = await import("../../lib/auth/server-session");
    const { createConversation } = await import("../../db/queries/conversations");
    const chat = (await import("../../app/api/chat/route")).POST as unknown as Handler;
    const messages = (await import("../../app/v1/conversations/[id]/messages/route")).POST as unknown as Handler;
    if (trace) await trace.install();
    const user = await createUser({ email: `bench-${randomUUID()}@example.test`, name: null, passwordHash: null, isGuest: false });
    const sid = await openServerSession(user.id);
    const cookie = `${COOKIE}=${await encode({ token: { sub: user.id, sid }, secret: SECRET, salt: COOKIE })}`;
    const headers = { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin" };
    const text = "Summarize the main trade-offs of write-ahead logging in two sentences.";

    const doors: Record<string, () => Promise<{ req: Request; params: Record<string, string> }>> = {
      "POST /api/chat": async () => ({
        req: new Request("http://bench.local/api/chat", {
          method: "POST",
          headers,
          body: JSON.stringify({ id: randomUUID(), model: "gpt-3.5-turbo", message: { id: randomUUID(), text } }),
        }),
        params: {},
      }),
      "POST /v1/conversations/:id/messages": async () => {
        const c = await createConversation({ userId: user.id, model: "gpt-3.5-turbo", title: "bench" });
        return {
          req: new Request(`http://bench.local/v1/conversations/${c.id}/messages`, { method: "POST", headers, body: JSON.stringify({ content: text }) }),
          params: { id: c.id },
        };
      },
    };
    const handlers: Record<string, Handler> = { "POST /api/chat": chat, "POST /v1/conversations/:id/messages": messages };
    console.log(`driver ${process.env.DATABASE_URL ? "postgres" : "pglite"}, ${turns} turns per door (after 20 warm-up turns)`);
    const inspector = profileFile ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 100 });
      await inspector.post("Profiler.start");
    }
    for (const [name, make] of Object.entries(doors)) {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < turns + 20; i++) {
        const { req, params } = await make();
        if (trace) trace.reset();
        const c0 = process.cpuUsage();
        const w0 = nowUs();
        const t0 = performance.now();
        const res = await handlers[name](req, { params: Promise.resolve(params) });
        const t1 = performance.now();
        const c = process.cpuUsage(c0);
        if (i >= 20) windows.push([w0, nowUs()]);
        const statements = trace?.take(t1);
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
        await res.text(); // to its end
        await new Promise((r) => setTimeout(r, 15)); // the reply's final save
        if (i < 20) continue;
        wall.push(t1 - t0);
        cpu.push((c.user + c.system) / 1000);
        if (statements && i === turns + 19) console.log(`${name}: statements before the handler returned (ms)\n${statements}`);
      }
      const f = (v: number) => v.toFixed(2);
      console.log(
        `${name}: time to handler return p50 ${f(percentile(wall, 50))} ms, p95 ${f(percentile(wall, 95))} ms; ` +
          `CPU before upstream p50 ${f(percentile(cpu, 50))} ms, p95 ${f(percentile(cpu, 95))} ms`,
      );
    }
    if (burst > 0) windows.length = 0; // the profile then covers the bursts only
    for (let round = 0; round < (burst > 0 ? 3 : 0); round++) {
      const name = "POST /v1/conversations/:id/messages";
      const reqs = await Promise.all(Array.from({ length: burst }, () => doors[name]()));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const w0 = nowUs();
      const returned: number[] = [];
      const responses = await Promise.all(
        reqs.map(async ({ req, params }) => {
          const res = await handlers[name](req, { params: Promise.resolve(params) });
          returned.push(performance.now() - t0);
          return res;
        }),
      );
      const c = process.cpuUsage(c0);
      windows.push([w0, nowUs()]);
      const failed = responses.filter((r) => r.status !== 200).length;
      await Promise.all(responses.map((r) => r.text()));
      console.log(
        `${name}: ${burst} at once: handler returned p50 ${percentile(returned, 50).toFixed(1)} ms, p99 ${percentile(returned, 99).toFixed(1)} ms, ` +
          `last ${Math.max(...returned).toFixed(1)} ms; CPU until the last returned ${((c.user + c.system) / 1000 / burst).toFixed(2)} ms per turn; ${failed} failed`,
      );
      await new Promise((r) => setTimeout(r, 500)); // the replies' final saves
    }
    if (inspector && profileFile) {
      const { profile } = await inspector.post("Profiler.stop");
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      fs.writeFileSync(`${profileFile}.windows.json`, JSON.stringify(windows));
      console.log(summarizeProfile(profileFile, windows, 40));
    }
  } finally {
    await sim.stop();
    const { closeDb } = await import("../../db");
    await closeDb().catch(() => {});
    await scratch.drop?.();
  }
}

/**
 * Wraps the driver under drizzle to record each statement's start and end: postgres.js (`unsafe`,
 * and `begin` for transactions) or PGlite (`query`, `transaction`). Bench-only: the app is unchanged.
 */
function traceStatements() {
  let events: { t0: number; t1: number; text: string }[] = [];
  let origin = performance.now();
  type Client = Record<string, (...a: unknown[]) => Promise<unknown>>;
  const wrap = (client: Client, method: string, label: string) => {
    const original = client[method].bind(client);
    client[method] = (...a: unknown[]) => {
      const event = { t0: performance.now() - origin, t1: NaN, text: `${label}${String(a[0]).replace(/\s+/g, " ").slice(0, 110)}` };
      events.push(event);
      const q = original(...a);
      // postgres.js: drizzle calls .values() on some; keep the query object, note when it settles.
      void Promise.resolve(q).then(
        () => (event.t1 = performance.now() - origin),
        () => (event.t1 = performance.now() - origin),
      );
      return q;
    };
  };
  const wrapTransactions = (client: Client, method: string, query: string) => {
    const original = client[method].bind(client);
    client[method] = (...a: unknown[]) => {
      const fn = a.at(-1) as (tx: Client) => Promise<unknown>;
      return original(...a.slice(0, -1), (tx: Client) => {
        wrap(tx, query, "[tx] ");
        return fn(tx);
      });
    };
  };
  return {
    async install() {
      const { getDb, dbDriver } = await import("../../db");
      const client = ((await getDb()) as unknown as { $client: Client }).$client;
      const query = dbDriver() === "postgres" ? "unsafe" : "query";
      wrap(client, query, "");
      wrapTransactions(client, dbDriver() === "postgres" ? "begin" : "transaction", query);
    },
    reset() {
      // Statements of the turn before that were still running (its final save) are shown too.
      const now = performance.now();
      events = events.filter((e) => Number.isNaN(e.t1) || e.t1 + origin > now - 1);
      for (const e of events) {
        e.t0 += origin - now;
        e.t1 += origin - now;
      }
      origin = now;
    },
    take(returnedAt: number): string {
      const end = returnedAt - origin;
      const rows = events.filter((e) => e.t0 <= end).map((e) => `  ${e.t0.toFixed(1).padStart(6)} → ${Number.isNaN(e.t1) ? "  …  " : e.t1.toFixed(1).padStart(6)}  ${e.text}`);
      return `${rows.join("\n")}\n  returned at ${end.toFixed(1)} ms`;
    },
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
