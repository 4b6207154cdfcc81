// Starts and stops what the bench measures, each in its own process so their CPU is separable:
// the inference simulator (`node --import tsx inference/main.ts` with a SIM_CONFIG file) and the app
// (scripts/server.ts, as `npm start` runs it, on the production build, its own fresh database). Everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { SimConfigInput } from "../inference/config";
import { benchLimits } from "./config";
import { appServerArgs } from "../scripts/app-server-args";
import { freePort } from "../scripts/free-port";

export const root = path.resolve(import.meta.dirname, "..");

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-bench-"));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` passes; returns the elapsed ms. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      if (await check()) return performance.now() - t0;
    } catch {
      // not up yet
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export interface Proc {
  pid: number;
  url: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

function spawnLogged(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  return child;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
}

/** `ready`, unless the process exits first (then fail at once instead of waiting out the timeout). */
function untilExit<T>(child: ChildProcess, what: string, ready: Promise<T>): Promise<T> {
  let onExit: (() => void) | null = null;
  const exited = new Promise<never>((_, reject) => {
    onExit = () => reject(new Error(`${what} exited (code ${child.exitCode ?? child.signalCode}) before it was ready`));
    child.once("exit", onExit);
  });
  return Promise.race([ready, exited]).finally(() => child.off("exit", onExit!));
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export async function startSimulator(dir: string, config: SimConfigInput): Promise<Proc> {
  const configFile = path.join(dir, "sim-config.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const logFile = path.join(dir, "simulator.log");
  const child = spawnLogged(
    ["--import", "tsx", "inference/main.ts"],
    { ...process.env, INFERENCE_PORT: String(port), INFERENCE_HOST: "127.0.0.1", SIM_CONFIG: configFile, SIM_FAULTS: "", SIM_FAULT_DIRECTIVES: "" },
    logFile,
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilExit(child, "simulator", waitFor("simulator", async () => (await fetch(`${url}/health`)).ok, 30_000));
  } catch (err) {
    console.error(tail(logFile));
    throw err;
  }
  return { pid: child.pid!, url, child, logFile, stop: stopper(child) };
}

export interface AppOptions {
  dir: string;
  inferenceUrl: string;
  modelsConfigFile: string;
  /** A PostgreSQL URL, or null for PGlite in `dir`. */
  databaseUrl: string | null;
  /** Write a V8 CPU profile of the app process to this folder (node --cpu-prof). */
  cpuProfDir?: string;
  /** Extra environment for the app (e.g. SAFETY_CONFIG for the moderation scenario). */
  env?: Record<string, string>;
}

export interface App extends Proc {
  /** From spawning the app server to the first 200 HTML answer for /login. */
  startupMs: number;
  /** Bearer token for GET /api/metrics (see METRICS_TOKEN below). */
  metricsToken: string;
}

// /api/metrics without METRICS_TOKEN only answers requests that carry no x-forwarded-for header, but
// `next start` adds x-forwarded-for (the socket's address) to every request (next/dist/server/
// base-server.js), so it always answers 404. The bench therefore sets a token.
const METRICS_TOKEN = `bench-${randomBytes(12).toString("hex")}`;

export async function startApp(opts: AppOptions): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = path.join(opts.dir, "data");
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(opts.dir, "app.log");
  const limitsFile = path.join(opts.dir, "limits.json");
  fs.writeFileSync(limitsFile, JSON.stringify(benchLimits(), null, 2));
  const prof = opts.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const t0 = performance.now();
  const child = spawnLogged(
    [...prof, ...appServerArgs(port, "127.0.0.1")],
    {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      PGLITE_DIR: "",
      DATABASE_URL: opts.databaseUrl ?? "",
      INFERENCE_URL: opts.inferenceUrl,
      INFERENCE_LOCAL: "1",
      MODELS_CONFIG: opts.modelsConfigFile,
      AUTH_SECRET: "bench-secret-not-for-production-0123456789abcdef",
      AUTH_URL: url,
      METRICS_TOKEN,
      LIMITS_CONFIG: limitsFile,
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
    },
    logFile,
  );
  try {
    await untilExit(
      child,
      "app",
      waitFor(
        "app",
        async () => {
          const res = await fetch(`${url}/login`, { redirect: "manual" });
          const html = await res.text();
          return res.status === 200 && html.includes("<html");
        },
        120_000,
        10,
      ),
    );
  } catch (err) {
    console.error(tail(logFile));
    await stopper(child)();
    throw err;
  }
  return { pid: child.pid!, url, child, logFile, startupMs: performance.now() - t0, metricsToken: METRICS_TOKEN, stop: stopper(child) };
}

function setCookies(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";", 1)[0]);
}

/** Signs in a guest over HTTP as a browser would (Auth.js: CSRF token, then the credentials callback). */
export async function signInGuest(appUrl: string): Promise<string> {
  const csrfRes = await fetch(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = setCookies(csrfRes);
  const res = await fetch(`${appUrl}/api/auth/callback/guest`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: appUrl },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${appUrl}/` }).toString(),
  });
  await res.arrayBuffer();
  const cookies = [...jar, ...setCookies(res)];
  const session = cookies.find((c) => /^(__Secure-)?authjs\.session-token=/.test(c));
  if (!session) throw new Error(`guest sign-in failed (HTTP ${res.status}, cookies: ${cookies.map((c) => c.split("=")[0]).join(", ")})`);
  return session;
}

export async function getText(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/**
 * A fresh database on the server of `baseUrl` (as db/test/global-setup.ts does), dropped by drop().
 * `asyncCommit` (bench --async-commit) sets synchronous_commit = off for it: commits no longer wait
 * for the disk flush, which shows what the flush costs (a crash may then lose the last ~0.6 s of
 * commits; the database stays consistent). The product's default is a durable commit.
 */
export async function createPgDatabase(baseUrl: string, opts: { asyncCommit?: boolean } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `bench_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
    if (opts.asyncCommit) await admin.unsafe(`alter database "${name}" set synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export async function serverVersion(databaseUrl: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    return row.v;
  } finally {
    await sql.end();
  }
}
