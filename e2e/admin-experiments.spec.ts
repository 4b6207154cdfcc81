// The experiments admin page is for admins only (a normal user gets 404), and the feedback buttons on
// replies keep one vote per user. The admin case needs a catalog with an experiment, so it starts its
// own app server (embedded database in a temporary DATA_DIR) with that catalog and ADMIN_EMAILS.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { startInferenceServer, type InferenceServer } from "../inference/server";
import { appServerArgs } from "../scripts/app-server-args";
import { freePort } from "../scripts/free-port";
import { continueAsGuest, lastAssistant, PASSWORD, selectModel, send, uniqueEmail, waitForReplyDone } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");
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
  let dataDir = "";
  let app: ChildProcess | null = null;
  let inference: InferenceServer | null = null;
  let baseURL = "";
  const links = new Map<string, string>();

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-admin-"));
    inference = await startInferenceServer({ port: 0 });
    // One echo model with a 50/50 experiment on it, so the page has variant rows to show.
    const catalog = {
      defaultModel: "echo",
      models: [
        {
          id: "echo",
          label: "Echo (test)",
          contextWindow: 32_000,
          maxOutputTokens: 2_000,
          pricing: { inputPerM: 1, outputPerM: 2 },
          pools: [{ name: "echo-pool", upstreamModel: "sim-echo", replicas: [{ url: inference.url }] }],
        },
      ],
      experiments: [{ name: "e2e-exp", model: "echo", share: 1, variants: [{ name: "a" }, { name: "b" }] }],
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
        INFERENCE_URL: inference.url,
        INFERENCE_LOCAL: "1",
        MODELS_CONFIG: catalogFile,
        ADMIN_EMAILS: ADMIN,
        AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
        AUTH_URL: baseURL,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // No mail transport: the app logs verification links, which ADMIN_EMAILS needs (README "Accounts").
    app.stdout!.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      for (const m of chunk.toString("utf8").matchAll(/verification link for (\S+) .*?(https?:\/\/\S+)/g)) links.set(m[1], m[2]);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${baseURL}/login`).then((r) => r.status < 500, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error("the admin test app did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test.afterAll(async () => {
    if (app) {
      app.kill("SIGTERM");
      await new Promise((r) => app!.once("exit", r));
    }
    await inference?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function createAccount(page: import("@playwright/test").Page, email: string) {
    await page.goto(`${baseURL}/login`);
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  }

  test("is a 404 for a normal user and shows the variant table to an admin", async ({ page, browser }) => {
    await createAccount(page, uniqueEmail("voter"));
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
    await createAccount(admin, ADMIN);
    await expect.poll(() => links.get(ADMIN)).toBeTruthy();
    await admin.goto(links.get(ADMIN)!);
    await expect(admin.getByRole("heading", { name: "Email verified" })).toBeVisible();
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
