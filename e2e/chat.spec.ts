import { expect, test } from "@playwright/test";
import {
  PASSWORD,
  continueAsGuest,
  uniqueEmail,
  lastAssistant,
  register,
  selectModel,
  send,
  userMessages,
  waitForReplyDone,
  watchStreaming,
} from "./fixtures";

test("a new account chats, the reply streams in token by token, and survives a reload", async ({ page }) => {
  await register(page);
  await send(page, "Tell me about streaming servers");
  await expect(lastAssistant(page)).toBeVisible();
  const stop = page.getByRole("button", { name: "Stop generating" });
  const lengths = await watchStreaming(page, async () => (await stop.count()) === 0);
  // Several partial renders were seen, not one final block of text.
  expect(lengths.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
  await waitForReplyDone(page);
  const reply = (await lastAssistant(page).textContent()) ?? "";
  expect(reply.length).toBeGreaterThan(40);

  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const nav = page.getByRole("navigation", { name: "Conversations" });
  await expect(nav.getByRole("link", { name: /Tell me about streaming servers/ })).toBeVisible();

  await page.reload();
  await expect(userMessages(page).first()).toContainText("Tell me about streaming servers");
  await expect(lastAssistant(page)).toContainText(reply.slice(0, 30));
});

test("a guest can chat without an account", async ({ page }) => {
  await continueAsGuest(page);
  await send(page, "Hello there");
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).not.toBeEmpty();
  await expect(page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: /Hello there/ })).toBeVisible();
});

test("a guest who creates an account keeps its chats", async ({ page }) => {
  await continueAsGuest(page);
  await send(page, "Remember this guest chat");
  await waitForReplyDone(page);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByRole("textbox", { name: "Email" }).fill(uniqueEmail("upgraded"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  const nav = page.getByRole("navigation", { name: "Conversations" });
  await expect(nav.getByRole("link", { name: /Remember this guest chat/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);
});

test("the echo model shows exactly what the gateway sent upstream", async ({ page }) => {
  await register(page);
  await selectModel(page, "Echo (test)");
  await send(page, "ping from the browser");
  await waitForReplyDone(page);
  const text = (await lastAssistant(page).textContent()) ?? "";
  expect(text).toContain("ping from the browser");
  expect(text).toContain('"role":"system"');
});

test("stop keeps the partial reply and aborts the upstream sequence", async ({ page, request }) => {
  const inference = process.env.E2E_INFERENCE_URL!;
  const before = (await (await request.get(`${inference}/sim/stats`)).json()) as { aborted: number };
  await register(page);
  await selectModel(page, /GPT-4 \(simulated\)/);
  await send(page, "Write a long essay about the history of computing");
  await expect.poll(async () => ((await lastAssistant(page).textContent()) ?? "").length).toBeGreaterThan(20);
  await page.getByRole("button", { name: "Stop generating" }).click();
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible();
  await expect(lastAssistant(page)).toContainText("Stopped");
  const partial = (await lastAssistant(page).textContent()) ?? "";
  await page.waitForTimeout(1_000);
  expect((await lastAssistant(page).textContent()) ?? "").toBe(partial);
  await expect
    .poll(async () => ((await (await request.get(`${inference}/sim/stats`)).json()) as { aborted: number }).aborted)
    .toBeGreaterThan(before.aborted);

  await page.reload();
  await expect(lastAssistant(page)).toContainText("Stopped");
  const reloaded = (await lastAssistant(page).textContent()) ?? "";
  expect(reloaded.replace("Stopped", "").trim().length).toBeGreaterThan(10);
});

test("an upstream failure shows the error, keeps the user message and the partial reply", async ({ page }) => {
  await register(page);
  await send(page, "Please fail [[sim:fail_after=4]]");
  await expect(page.getByRole("alert").filter({ hasText: /model server failed/i }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Retry" }).first()).toBeVisible();
  await expect(userMessages(page).first()).toContainText("Please fail");

  await page.reload();
  await expect(userMessages(page).first()).toContainText("Please fail");
  await expect(page.getByRole("alert").filter({ hasText: /model server failed/i }).first()).toBeVisible();
});
