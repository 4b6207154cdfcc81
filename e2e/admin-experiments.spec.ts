// The experiments admin page is for admins only (a normal user gets 404), and the feedback buttons on
// replies keep one vote per user. The admin case needs to change users.role while the app runs, which
// the shared stack's embedded database cannot allow from outside, so it starts its own `next start`
// on a fresh database in the local PostgreSQL (E2E_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { startInferenceServer, type InferenceServer } from "../inference/server";
import { freePort } from "../scripts/free-port";
import { continueAsGuest, lastAssistant, PASSWORD, selectModel, send, uniqueEmail, waitForReplyDone } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");
const PG = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

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
  let sql: postgres.Sql | null = null;
  let dbName = "";
  let app: ChildProcess | null = null;
  let inference: InferenceServer | null = null;
  let baseURL = "";

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    if (!/@(localhost|127\.0\.0\.1)[:/]/.test(PG)) throw new Error("refusing a non-local E2E_POSTGRES_URL");
    sql = postgres(PG, { max: 1, onnotice: () => {} });
    dbName = `chatgate_e2e_admin_${randomUUID().slice(0, 8)}`;
    await sql.unsafe(`create database ${dbName}`);
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
    const catalogFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-admin-")), "models.json");
    fs.writeFileSync(catalogFile, JSON.stringify(catalog));
    const port = await freePort();
    baseURL = `http://127.0.0.1:${port}`;
    const url = new URL(PG);
    url.pathname = `/${dbName}`;
    app = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: url.toString(),
        INFERENCE_URL: inference.url,
        INFERENCE_LOCAL: "1",
        MODELS_CONFIG: catalogFile,
        AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
        AUTH_URL: baseURL,
      },
      stdio: ["ignore", "inherit", "inherit"],
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
    if (sql && dbName) await sql.unsafe(`drop database if exists ${dbName} with (force)`);
    await sql?.end();
  });

  test("is a 404 for a normal user and shows the variant table to an admin", async ({ page }) => {
    const email = uniqueEmail("admin");
    await page.goto(`${baseURL}/login`);
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
    await send(page, "Which variant am I in?");
    await waitForReplyDone(page);
    await lastAssistant(page).getByRole("button", { name: "Good response" }).click();
    await expect(lastAssistant(page).getByRole("button", { name: "Good response" })).toHaveAttribute("aria-pressed", "true");

    const asUser = await page.goto(`${baseURL}/admin/experiments`);
    expect(asUser?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Experiments" })).toHaveCount(0);

    const appDb = postgres(PG.replace(/\/[^/]*$/, `/${dbName}`), { max: 1 });
    await appDb`update users set role = 'admin' where lower(email) = lower(${email})`;
    await appDb.end();

    const asAdmin = await page.goto(`${baseURL}/admin/experiments`);
    expect(asAdmin?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Experiments", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: "Variants of e2e-exp" });
    await expect(table.getByRole("rowheader")).toHaveText(["a", "b"]);
    // This user's one reply, with one "Good response" vote, in exactly one of the two variants.
    const rows = table.getByRole("row").filter({ has: page.getByRole("rowheader") });
    const requests = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll("td")[0]?.textContent));
    expect(requests.sort()).toEqual(["0", "1"]);
    await expect(table.getByRole("cell", { name: "100.0%", exact: true })).toHaveCount(1);
    await page.screenshot({ path: "test-results/admin-experiments.png", fullPage: true });
  });
});
