// The admin console as an admin, against an app of its own (embedded database in a temporary
// DATA_DIR) whose one model has two simulator replicas started here, so one can be killed and
// brought back on the same port: the overview shows live figures while replies are sent, the pools
// page shows the killed replica go red and come back, and the users page changes a tier (the limits
// that user sees change) and disables an account (its open session is rejected at once).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startInferenceServer, type InferenceServer } from "../inference/server";
import { appServerArgs } from "../scripts/app-server-args";
import { freePort } from "../scripts/free-port";
import { PASSWORD, uniqueEmail } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");
const ADMIN = "console-admin@example.test";
const SHOTS = "test-results/admin-console";

let dataDir = "";
let app: ChildProcess | null = null;
let replicaA: InferenceServer | null = null;
let replicaB: InferenceServer | null = null;
let portB = 0;
let baseURL = "";
/** Verification links the app logged (no mail transport), by address: ADMIN_EMAILS needs a verified email. */
const links = new Map<string, string>();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-console-"));
  replicaA = await startInferenceServer({ port: 0 });
  portB = await freePort();
  replicaB = await startInferenceServer({ port: portB });
  const catalog = {
    defaultModel: "echo",
    models: [
      {
        id: "echo",
        label: "Echo (test)",
        contextWindow: 32_000,
        maxOutputTokens: 2_000,
        pricing: { inputPerM: 1, outputPerM: 2 },
        pools: [{ name: "echo-pool", upstreamModel: "sim-echo", replicas: [{ url: replicaA.url }, { url: replicaB.url }] }],
      },
    ],
  };
  const catalogFile = path.join(dataDir, "models.json");
  fs.writeFileSync(catalogFile, JSON.stringify(catalog));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, appServerArgs(port, "127.0.0.1"), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      INFERENCE_URL: replicaA.url,
      INFERENCE_LOCAL: "1",
      MODELS_CONFIG: catalogFile,
      ADMIN_EMAILS: ADMIN,
      // Every request goes to the next replica in turn, so the revived one gets its trial request.
      ROUTER_STRATEGY: "round-robin",
      LOG_LEVEL: "warn",
      AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
      AUTH_URL: baseURL,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  app.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    for (const m of chunk.toString("utf8").matchAll(/verification link for (\S+) .*?(https?:\/\/\S+)/g)) links.set(m[1], m[2]);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await fetch(`${baseURL}/login`).then((r) => r.status < 500, () => false)) break;
    if (Date.now() > deadline) throw new Error("the admin console test app did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(async () => {
  if (app) {
    app.kill("SIGTERM");
    await new Promise((r) => app!.once("exit", r));
  }
  await replicaA?.close();
  await replicaB?.close().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function createAccount(page: Page, email: string): Promise<void> {
  await page.goto(`${baseURL}/login`);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  const message = page.getByRole("textbox", { name: "Message" });
  const taken = page.getByText("An account with this email already exists.");
  await expect(message.or(taken)).toBeVisible();
  if (await taken.isVisible()) {
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(message).toBeVisible();
  }
}

/** The admin account, signed in, its address verified through the logged link. */
async function signInAsAdmin(page: Page): Promise<void> {
  await createAccount(page, ADMIN);
  await expect.poll(() => links.get(ADMIN)).toBeTruthy();
  await page.goto(links.get(ADMIN)!);
  // The link is single-use: a later sign-in finds the address already verified.
  await expect(page.getByRole("heading", { name: /Email verified|This link does not work/ })).toBeVisible();
}

/** Replies through the public API with the page's session cookie (a browser request: same origin). */
async function sendReplies(request: APIRequestContext, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await request.post(`${baseURL}/v1/chat/completions`, {
      headers: { origin: baseURL, "content-type": "application/json" },
      data: { model: "echo", messages: [{ role: "user", content: `Live figure ${i}` }] },
    });
    expect(res.status()).toBe(200);
  }
}

const replicaRow = (page: Page, url: string) => page.locator(`tr[data-replica="${url}"]`);

test("a normal user gets 404 for every admin page", async ({ page }) => {
  await createAccount(page, uniqueEmail("plain"));
  for (const p of ["/admin", "/admin/pools", "/admin/users", "/admin/experiments", "/admin/moderation"]) {
    expect((await page.goto(`${baseURL}${p}`, { waitUntil: "domcontentloaded" }))?.status(), p).toBe(404);
  }
});

test("overview shows live figures while replies are sent", async ({ page }) => {
  test.setTimeout(90_000);
  // The page's Content-Security-Policy (nonce + 'strict-dynamic', lib/http/security-headers.ts) must
  // let the console's scripts, the lazily loaded uPlot chunk and its styles run: no violation at all.
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await signInAsAdmin(page);
  const res = await page.goto(`${baseURL}/admin`);
  expect(res?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const table = page.getByRole("table", { name: "Key metrics with targets and alert thresholds" });
  await expect(table.getByRole("row")).toHaveCount(9);
  const ttft = table.locator('tr[data-metric="ttft_p50"] td').first();
  const sending = sendReplies(page.request, 8);
  // The rollup job runs every 10 s and the table refreshes every 5 s.
  await expect(ttft).not.toHaveText("–", { timeout: 45_000 });
  await expect(ttft).toHaveText(/\d+ ms|\d\.\d+ s/);
  await sending;
  await expect(page.getByText(/Last 5 minutes · [1-9]\d* replies/)).toBeVisible();
  await expect(table.locator('tr[data-metric="error_rate"] td').first()).toHaveText("0.0%");
  // The history charts pick the replies up from the rollups too (TTFT is the first chart).
  await expect(page.getByRole("figure", { name: "TTFT p50 / p99 per model" }).locator(".uplot")).toBeVisible({ timeout: 40_000 });
  await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  expect(violations).toEqual([]);
});

test("pools page shows a killed replica going red and coming back", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  await sendReplies(page.request, 4);
  await page.goto(`${baseURL}/admin/pools`);
  const b = replicaRow(page, replicaB!.url).locator("[data-health]");
  await expect(b).toHaveText("Healthy");
  await expect(replicaRow(page, replicaA!.url).locator("[data-health]")).toHaveText("Healthy");

  await replicaB!.close();
  await expect(b).toHaveText("Down (ejected)", { timeout: 20_000 });
  await expect(b).toHaveAttribute("data-health", "alert");
  await page.screenshot({ path: `${SHOTS}/pools-replica-down.png`, fullPage: true });

  replicaB = await startInferenceServer({ port: portB });
  // Probes answer again: on trial (half-open), then replies close the breaker.
  await expect(b).not.toHaveText("Down (ejected)", { timeout: 20_000 });
  await expect(async () => {
    await sendReplies(page.request, 2);
    await expect(b).toHaveText("Healthy", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/pools-replica-back.png`, fullPage: true });
});

test("users page changes a tier (the user's limits change) and disables an account (its open session is rejected)", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  const email = uniqueEmail("managed");
  await createAccount(userPage, email);
  await userPage.goto(`${baseURL}/settings`);
  await expect(userPage.getByText(/of 200,000 left/)).toBeVisible();

  await signInAsAdmin(page);
  await page.goto(`${baseURL}/admin/users`);
  await page.getByRole("searchbox", { name: "Search users by email" }).fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("combobox", { name: `Tier of ${email}` }).selectOption("plus");
  await page.getByRole("button", { name: `Change tier of ${email}` }).click();
  await expect(page.getByRole("cell", { name: "tier free → plus" })).toBeVisible();

  await expect(page.getByRole("combobox", { name: `Tier of ${email}` })).toHaveValue("plus");
  await userPage.reload();
  await expect(userPage.getByText(/of 2,000,000 left/)).toBeVisible();
  await expect(userPage.getByText("Plan:")).toContainText("plus");

  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(page.getByRole("button", { name: `Enable ${email}` })).toBeVisible();
  await expect(page.getByRole("cell", { name: "disabled the account" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/users.png`, fullPage: true });

  // The user's open session: the next request is refused (the API) and pages send them to sign in.
  const api = await userPage.request.get(`${baseURL}/v1/models`);
  expect(api.status()).toBe(401);
  await userPage.goto(`${baseURL}/settings`);
  await expect(userPage).toHaveURL(/\/login/);
  await userContext.close();
});
