// Starts the app's production server (scripts/server.ts, as `npm start` runs it) on the production
// build for e2e: the shared stack (e2e/global-setup.ts) and the specs that need an app of their own
// (another catalog, ADMIN_EMAILS for an address of theirs). Each gets a fresh embedded database in a
// temporary DATA_DIR and no Redis. There is no mail transport, so the app logs verification links;
// they are copied to a mail log in that folder, which fixtures.ts verificationLink reads, as an
// operator would read the log.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appServerArgs } from "../scripts/app-server-args";
import { freePort } from "../scripts/free-port";

const root = path.resolve(import.meta.dirname, "..");

export interface AppServer {
  baseURL: string;
  /** Where the verification links the app logged are (fixtures.ts verificationLink). */
  mailLog: string;
  /** Stops the app and removes its data. */
  stop(): Promise<void>;
}

interface AppServerOptions {
  /** Prefix of the temporary DATA_DIR. */
  name: string;
  inferenceUrl: string;
  /** A model catalog (MODELS_CONFIG), written into DATA_DIR. */
  models?: unknown;
  /** Tier limits (LIMITS_CONFIG), written into DATA_DIR. */
  limits?: unknown;
  /** More environment (ADMIN_EMAILS, throttles, log level, …). */
  env?: Record<string, string>;
}

/** A catalog of one model, "echo" (label "Echo (test)"), the simulator's echo mode on these replicas, in pool "echo-pool". */
export function echoCatalog(replicas: string[], more: { experiments?: unknown[] } = {}) {
  return {
    defaultModel: "echo",
    models: [
      {
        id: "echo",
        label: "Echo (test)",
        contextWindow: 32_000,
        maxOutputTokens: 2_000,
        pricing: { inputPerM: 1, outputPerM: 2 },
        pools: [{ name: "echo-pool", upstreamModel: "sim-echo", replicas: replicas.map((url) => ({ url })) }],
      },
    ],
    ...more,
  };
}

/** Until the app is ready (GET /api/health/ready: the database opened and migrated, a model's replica answered), so a spec's first sign-up does not pay for that. */
async function waitForReady(baseURL: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseURL}/api/health/ready`, { redirect: "manual" })).status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${baseURL} was not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startAppServer({ name, inferenceUrl, models, limits, env = {} }: AppServerOptions): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const config: Record<string, string> = {};
  if (models !== undefined) fs.writeFileSync((config.MODELS_CONFIG = path.join(dataDir, "models.json")), JSON.stringify(models));
  if (limits !== undefined) fs.writeFileSync((config.LIMITS_CONFIG = path.join(dataDir, "limits.json")), JSON.stringify(limits));
  const mailLog = path.join(dataDir, "mail.log");
  fs.writeFileSync(mailLog, "");
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, appServerArgs(port, "127.0.0.1"), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      INFERENCE_URL: inferenceUrl,
      INFERENCE_LOCAL: "1",
      AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
      AUTH_URL: baseURL,
      ...config,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let partial = ""; // a line split across two chunks
  app.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.includes("[auth] email verification link")) fs.appendFileSync(mailLog, `${line}\n`);
  });
  const exited = new Promise((r) => app.once("exit", r));
  const stop = async () => {
    if (app.exitCode === null && app.signalCode === null) app.kill("SIGTERM");
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(baseURL, 90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseURL, mailLog, stop };
}
