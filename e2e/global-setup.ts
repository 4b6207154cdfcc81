// Starts the real stack for the e2e run: the inference simulator (fault directives on, so a test can
// ask for an upstream failure inside its message) and the app's server (scripts/server.ts, as `npm
// start` runs it, through e2e/app-server.ts) on the production build, with a fresh embedded database
// in a temporary folder. Refuses to run against a non-local database.
import http from "node:http";
import { startInferenceServer } from "../inference/server";
import { DEFAULT_LIMITS } from "../lib/limits/config";
import { freePort } from "../scripts/free-port";
import { startAppServer } from "./app-server";
import { ADMIN_EMAIL } from "./fixtures";

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL && !/@(localhost|127\.0\.0\.1)[:/]/.test(process.env.DATABASE_URL)) {
    throw new Error("e2e refuses to run against a non-local DATABASE_URL");
  }
  const inference = await startInferenceServer({ port: 0, config: { faultDirectives: true } });
  // The default limits, except that a free account gets one GPT-4 message per 3 hours, so a spec
  // reaches a model's cap (and the fallback) in two messages.
  const free = { ...DEFAULT_LIMITS.free, messages: { ...DEFAULT_LIMITS.free.messages, "gpt-4": { limit: 1, window: "3h" } } };
  // A local page for the fetch_url tool (e2e/tools.spec.ts), allowed through the SSRF-safe fetch's test-only setting.
  const pagePort = await freePort();
  const pageServer = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<html><head><title>Lighthouse keeping</title></head><body><article><h1>Lighthouse keeping</h1><p>Keepers trimmed the wick every four hours through the night, and logged the weather at dawn.</p></article></body></html>");
  });
  await new Promise<void>((r) => pageServer.listen(pagePort, "127.0.0.1", r));
  const app = await startAppServer({
    name: "chatgate-e2e",
    inferenceUrl: inference.url,
    limits: { ...DEFAULT_LIMITS, free },
    env: {
      ADMIN_EMAILS: ADMIN_EMAIL,
      // Every spec signs up from 127.0.0.1: the per-address creation limits would stop the suite.
      GUESTS_PER_IP_PER_HOUR: "100000",
      SIGNUPS_PER_IP_PER_HOUR: "100000",
      LOGIN_FAILURES_PER_IP: "100000",
      SAFE_FETCH_ALLOW_HOSTS: `localhost:${pagePort}`,
    },
  });
  // The specs read verification links from the mail log (e2e/fixtures.ts verificationLink).
  process.env.E2E_MAIL_LOG = app.mailLog;
  process.env.E2E_BASE_URL = app.baseURL;
  process.env.E2E_INFERENCE_URL = inference.url;
  process.env.E2E_PAGE_URL = `http://localhost:${pagePort}/lighthouses`;
  return async () => {
    pageServer.close();
    await app.stop();
    await inference.close();
  };
}
