// The experiments admin page is for admins only (a normal user gets 404), and the feedback buttons on
// replies keep one vote per user. The admin case needs a catalog with an experiment, so it starts its
// own app server (embedded database in a temporary DATA_DIR) with that catalog and ADMIN_EMAILS.
import { expect, test } from "@playwright/test";
import { startInferenceServer, type InferenceServer } from "../inference/server";
import { echoCatalog, startAppServer, type AppServer } from "./app-server";
import { continueAsGuest, lastAssistant, registerOrSignIn, selectModel, send, signInAsAdmin, uniqueEmail, waitForReplyDone } from "./fixtures";

const ADMIN = "experiments-admin@example.test";

test("feedback buttons keep one vote per reply, across reloads", async ({ page }) => {
  await continueAsGuest(page);
  await selectModel(page, "Echo (test)");
  await send(page, "Rate this reply");
  await waitForReplyDone(page);
  const good = lastAssistant(page).getByRole("button", { name: "Good response" });
  const bad = lastAssistant(page).getByRole("button", { name: "Bad response" });
  await expect(good).toHaveAttribute("aria-pressed", "false");
  await good.click();
  await expect(good).toHaveAttribute("aria-pressed", "true");
  await bad.click();
  await expect(bad).toHaveAttribute("aria-pressed", "true");
  await expect(good).toHaveAttribute("aria-pressed", "false");
  await page.screenshot({ path: "test-results/feedback-buttons.png" });
  await expect.poll(() => page.url()).toMatch(/\/chat\//);
  await page.reload();
  await expect(lastAssistant(page).getByRole("button", { name: "Bad response" })).toHaveAttribute("aria-pressed", "true");
  await expect(lastAssistant(page).getByRole("button", { name: "Good response" })).toHaveAttribute("aria-pressed", "false");
});

test.describe("admin experiments page", () => {
  let app: AppServer | null = null;
  let inference: InferenceServer | null = null;
  let baseURL = "";

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    inference = await startInferenceServer({ port: 0 });
    app = await startAppServer({
      name: "chatgate-admin",
      inferenceUrl: inference.url,
      // One echo model with a 50/50 experiment on it, so the page has variant rows to show.
      models: echoCatalog([inference.url], { experiments: [{ name: "e2e-exp", model: "echo", share: 1, variants: [{ name: "a" }, { name: "b" }] }] }),
      env: { ADMIN_EMAILS: ADMIN },
    });
    baseURL = app.baseURL;
  });

  test.afterAll(async () => {
    await app?.stop();
    await inference?.close();
  });

  test("is a 404 for a normal user and shows the variant table to an admin", async ({ page, browser }) => {
    await registerOrSignIn(page, uniqueEmail("voter"), baseURL);
    await send(page, "Which variant am I in?");
    await waitForReplyDone(page);
    await lastAssistant(page).getByRole("button", { name: "Good response" }).click();
    await expect(lastAssistant(page).getByRole("button", { name: "Good response" })).toHaveAttribute("aria-pressed", "true");

    const asUser = await page.goto(`${baseURL}/admin/experiments`);
    expect(asUser?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Experiments" })).toHaveCount(0);

    // ADMIN_EMAILS makes this account an admin once its address is verified.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signInAsAdmin(admin, { email: ADMIN, baseURL, mailLog: app!.mailLog });
    const asAdmin = await admin.goto(`${baseURL}/admin/experiments`);
    expect(asAdmin?.status()).toBe(200);
    await expect(admin.getByRole("heading", { name: "Experiments", level: 1 })).toBeVisible();
    const table = admin.getByRole("table", { name: "Variants of e2e-exp" });
    await expect(table.getByRole("rowheader")).toHaveText(["a", "b"]);
    // The voter's one reply, with one "Good response" vote, in exactly one of the two variants.
    const rows = table.getByRole("row").filter({ has: admin.getByRole("rowheader") });
    const requests = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll("td")[0]?.textContent));
    expect(requests.sort()).toEqual(["0", "1"]);
    await expect(table.getByRole("cell", { name: "100.0%", exact: true })).toHaveCount(1);
    await admin.screenshot({ path: "test-results/admin-experiments.png", fullPage: true });
    await adminContext.close();
  });
});
