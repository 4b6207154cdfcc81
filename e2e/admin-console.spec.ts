// The admin console as an admin, against an app of its own (embedded database in a temporary
// DATA_DIR) whose one model has two simulator replicas started here, so one can be killed and
// brought back on the same port: the overview shows live figures while replies are sent, the pools
// page shows the killed replica go red and come back, and the users page changes a tier (the limits
// that user sees change) and disables an account (its open session is rejected at once).
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startInferenceServer, type InferenceServer } from "../inference/server";
import { freePort } from "../scripts/free-port";
import { echoCatalog, startAppServer, type AppServer } from "./app-server";
import { registerOrSignIn, signInAsAdmin as signInAs, uniqueEmail } from "./fixtures";

const ADMIN = "console-admin@example.test";
const SHOTS = "test-results/admin-console";

let app: AppServer | null = null;
let replicaA: InferenceServer | null = null;
let replicaB: InferenceServer | null = null;
let portB = 0;
let baseURL = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  replicaA = await startInferenceServer({ port: 0 });
  portB = await freePort();
  replicaB = await startInferenceServer({ port: portB });
  app = await startAppServer({
    name: "chatgate-console",
    inferenceUrl: replicaA.url,
    models: echoCatalog([replicaA.url, replicaB.url]),
    env: {
      ADMIN_EMAILS: ADMIN,
      // Every request goes to the next replica in turn, so the revived one gets its trial request.
      ROUTER_STRATEGY: "round-robin",
      LOG_LEVEL: "warn",
    },
  });
  baseURL = app.baseURL;
});

test.afterAll(async () => {
  await app?.stop();
  await replicaA?.close();
  await replicaB?.close().catch(() => {});
});

const createAccount = (page: Page, email: string) => registerOrSignIn(page, email, baseURL);
/** The admin account, signed in, its address verified through the logged link. */
const signInAsAdmin = (page: Page) => signInAs(page, { email: ADMIN, baseURL, mailLog: app!.mailLog });

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
