// Starts the real stack for the e2e run: the inference simulator (fault directives on, so a test can
// ask for an upstream failure inside its message) and the app's server (scripts/server.ts, as `npm
// start` runs it) on the production build, with a
// fresh embedded database in a temporary folder. Refuses to run against a non-local database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startInferenceServer } from "../inference/server";
import { DEFAULT_LIMITS } from "../lib/limits/config";
import { appServerArgs } from "../scripts/app-server-args";
import { freePort } from "../scripts/free-port";
import { ADMIN_EMAIL } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL && !/@(localhost|127\.0\.0\.1)[:/]/.test(process.env.DATABASE_URL)) {
    throw new Error("e2e refuses to run against a non-local DATABASE_URL");
  }
  const inference = await startInferenceServer({ port: 0, config: { faultDirectives: true } });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-e2e-"));
  // The default limits, except that a free account gets one GPT-4 message per 3 hours, so a spec
  // reaches a model's cap (and the fallback) in two messages.
  const limitsFile = path.join(dataDir, "limits.json");
  const free = { ...DEFAULT_LIMITS.free, messages: { ...DEFAULT_LIMITS.free.messages, "gpt-4": { limit: 1, window: "3h" } } };
  fs.writeFileSync(limitsFile, JSON.stringify({ ...DEFAULT_LIMITS, free }));
  // A local page for the fetch_url tool (e2e/tools.spec.ts), allowed through the SSRF-safe fetch's test-only setting.
  const pagePort = await freePort();
  const pageServer = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<html><head><title>Lighthouse keeping</title></head><body><article><h1>Lighthouse keeping</h1><p>Keepers trimmed the wick every four hours through the night, and logged the weather at dawn.</p></article></body></html>");
  });
  await new Promise<void>((r) => pageServer.listen(pagePort, "127.0.0.1", r));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, appServerArgs(port, "127.0.0.1"), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      INFERENCE_URL: inference.url,
      INFERENCE_LOCAL: "1",
      LIMITS_CONFIG: limitsFile,
      REDIS_URL: "",
      ADMIN_EMAILS: ADMIN_EMAIL,
      AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
      AUTH_URL: baseURL,
      // Every spec signs up from 127.0.0.1: the per-address creation limits would stop the suite.
      GUESTS_PER_IP_PER_HOUR: "100000",
      SIGNUPS_PER_IP_PER_HOUR: "100000",
      LOGIN_FAILURES_PER_IP: "100000",
      SAFE_FETCH_ALLOW_HOSTS: `localhost:${pagePort}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // With no mail transport the app logs verification links; the specs read them from this file
  // (e2e/fixtures.ts verificationLink), as an operator would read the log.
  const mailLog = path.join(dataDir, "mail.log");
  fs.writeFileSync(mailLog, "");
  app.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) if (line.includes("[auth] email verification link")) fs.appendFileSync(mailLog, `${line}\n`);
  });
  process.env.E2E_MAIL_LOG = mailLog;
  await waitForHttp(`${baseURL}/login`, 60_000);
  process.env.E2E_BASE_URL = baseURL;
  process.env.E2E_INFERENCE_URL = inference.url;
  process.env.E2E_PAGE_URL = `http://localhost:${pagePort}/lighthouses`;
  return async () => {
    pageServer.close();
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
    await inference.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
