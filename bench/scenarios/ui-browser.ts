// The UI scenario's browser figures: what Chromium actually downloads, as the issue counts it — the
// encoded (on-the-wire) bytes of every script loaded before the page is usable, lazy chunks
// included. The chat page is usable when the composer is hydrated (typing enables "Send message");
// /admin when the live table and the first chart (uPlot, a lazy chunk) are drawn. Each page is
// loaded in a fresh browser context (empty cache) with a signed-in cookie. Also checks that uPlot
// is not among the chat page's scripts.
//   npx tsx bench/scenarios/ui-browser.ts   (starts its own simulator and app on the current build)
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { simConfig } from "../config";
import { signInGuest, startApp, startSimulator, tempDir } from "../stack";

export const CHAT_JS_TARGET_KB = 200;
const ADMIN_EMAIL = "bench-admin@bench.test";
const PASSWORD = "bench admin password 0123";

export interface PageWeight {
  page: string;
  scripts: number;
  /** Each script (path under /_next/) and its encoded KB, largest first. */
  files: [string, number][];
  encodedKb: number;
  decodedKb: number;
  chartsLoaded?: boolean;
  /** Chat page: all scripts once the chat engine (fetched on the first keystroke) has loaded too. */
  withEngineKb?: number;
  uplotInChat?: boolean;
}

function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH || (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
}

async function scriptsOf(page: Page): Promise<{ names: string[]; sizes: [string, number][]; encoded: number; decoded: number }> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const js = entries.filter((e) => e.initiatorType === "script" || /\.js(\?|$)/.test(e.name));
    return {
      names: js.map((e) => e.name),
      sizes: js.map((e) => [e.name.replace(/^.*\/_next\//, ""), Math.round(e.encodedBodySize / 102.4) / 10] as [string, number]),
      encoded: js.reduce((n, e) => n + e.encodedBodySize, 0),
      decoded: js.reduce((n, e) => n + e.decodedBodySize, 0),
    };
  });
}

async function contextWith(browser: Browser, appUrl: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const [name, ...rest] = cookie.split("=");
  await context.addCookies([{ name, value: rest.join("="), url: appUrl }]);
  return context;
}

/**
 * The chat page (a new chat) for a signed-in guest. "Usable" = hydrated: the scripts are counted once
 * the network is idle, before anything is typed, and typing must then enable "Send message" (else
 * the figure is refused). The chat engine (AI SDK) is fetched on the first keystroke: the total
 * with it is reported beside (`withEngineKb`).
 */
async function chatWeight(browser: Browser, appUrl: string): Promise<PageWeight> {
  const context = await contextWith(browser, appUrl, await signInGuest(appUrl));
  const page = await context.newPage();
  await page.goto(`${appUrl}/`);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.waitFor();
  await page.waitForLoadState("networkidle");
  const s = await scriptsOf(page);
  await box.fill("hello");
  const send = page.getByRole("button", { name: "Send message" });
  for (let i = 0; i < 50 && !(await send.isEnabled()); i++) await page.waitForTimeout(100);
  if (!(await send.isEnabled())) throw new Error("the composer did not become usable (Send message stayed disabled)");
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
  const all = await scriptsOf(page);
  await context.close();
  return {
    page: "chat (new chat)",
    scripts: s.names.length,
    files: s.sizes.sort((a, b) => b[1] - a[1]),
    encodedKb: s.encoded / 1024,
    decodedKb: s.decoded / 1024,
    withEngineKb: all.encoded / 1024,
    uplotInChat: all.names.some((n) => /uplot/i.test(n)),
  };
}

/**
 * The newest email verification link the app logged for ADMIN_EMAIL (no mail transport: the app
 * writes it to its log, bench/stack.ts's app.log). ADMIN_EMAILS applies to verified addresses only.
 */
async function adminVerificationLink(logFile: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n") : [];
    const link = lines.filter((l) => l.includes(`verification link for ${ADMIN_EMAIL} `)).at(-1)?.match(/(https?:\/\/\S+)/)?.[1];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no verification link for ${ADMIN_EMAIL} in ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** /admin for an admin (ADMIN_EMAILS, address verified), until the live table and a chart are drawn. */
async function adminWeight(browser: Browser, appUrl: string, appLog: string): Promise<PageWeight> {
  const signup = await browser.newContext();
  const p = await signup.newPage();
  await p.goto(`${appUrl}/login`);
  await p.getByRole("textbox", { name: "Email" }).fill(ADMIN_EMAIL);
  await p.getByLabel("Password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account" }).click();
  await p.getByRole("textbox", { name: "Message" }).waitFor();
  await p.goto(await adminVerificationLink(appLog));
  await p.getByRole("heading", { name: "Email verified" }).waitFor();
  // One reply, so the charts have a point to draw once the rollup job has run.
  await p.request.post(`${appUrl}/v1/chat/completions`, {
    headers: { origin: appUrl, "content-type": "application/json" },
    data: { model: "bench-model", messages: [{ role: "user", content: "hello" }] },
  });
  const state = await signup.storageState();
  await signup.close();
  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  await page.goto(`${appUrl}/admin`);
  await page.getByRole("table", { name: "Key metrics with targets and alert thresholds" }).waitFor();
  let chartsLoaded = false;
  try {
    await page.locator(".uplot").first().waitFor({ timeout: 30_000 });
    chartsLoaded = true;
  } catch {
    // no data yet: the charts say so and uPlot is never loaded
  }
  await page.waitForLoadState("networkidle");
  const s = await scriptsOf(page);
  await context.close();
  return { page: "/admin (overview, charts drawn)", scripts: s.names.length, files: s.sizes.sort((a, b) => b[1] - a[1]), encodedKb: s.encoded / 1024, decodedKb: s.decoded / 1024, chartsLoaded };
}

/** `appLog`: the app's log file, where it writes the admin's verification link. */
export async function browserWeights(appUrl: string, appLog: string): Promise<PageWeight[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    return [await chatWeight(browser, appUrl), await adminWeight(browser, appUrl, appLog)];
  } finally {
    await browser.close();
  }
}

/** A simulator and an app (with ADMIN_EMAILS) of their own, for the measurement. */
export async function measureBrowserWeights(): Promise<PageWeight[]> {
  const dir = tempDir();
  const sim = await startSimulator(dir, simConfig());
  const modelsFile = path.join(dir, "models.json");
  const catalog = {
    defaultModel: "bench-model",
    models: [
      {
        id: "bench-model",
        label: "Bench",
        contextWindow: 32_768,
        maxOutputTokens: 256,
        pricing: { inputPerM: 2.5, outputPerM: 10 },
        pools: [{ name: "bench-pool", upstreamModel: simConfig().models?.[0]?.name ?? "sim-medium", replicas: [{ url: sim.url }] }],
      },
    ],
  };
  fs.writeFileSync(modelsFile, JSON.stringify(catalog));
  const app = await startApp({ dir, inferenceUrl: sim.url, modelsConfigFile: modelsFile, databaseUrl: null, env: { ADMIN_EMAILS: ADMIN_EMAIL, LOG_LEVEL: "warn" } });
  try {
    return await browserWeights(app.url, path.join(dir, "app.log"));
  } finally {
    await app.stop();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureBrowserWeights()
    .then((w) => {
      for (const x of w) {
        console.log(`${x.page}: ${x.encodedKb.toFixed(1)} KB encoded (${x.decodedKb.toFixed(0)} KB decoded) in ${x.scripts} scripts${x.withEngineKb ? `; ${x.withEngineKb.toFixed(1)} KB with the chat engine` : ""}${x.uplotInChat ? " — uPlot loaded!" : ""}`);
        for (const [f, kb] of x.files) console.log(`  ${kb.toFixed(1)} KB  ${f}`);
      }
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
