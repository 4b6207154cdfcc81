// A reply survives the browser: a reload mid-reply reattaches and shows the reply once (a dropped
// connection resuming with Last-Event-ID is tests/gateway/resumable-fetch.test.ts: Chromium's
// offline emulation does not cut a response already streaming). The simulator goes silent after a few
// tokens ([[sim:stall_after=N]]) so the reply is still live when the browser comes back, then Stop
// ends it; the text on screen must equal what the server saved (nothing doubled, nothing missing).
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, register, send } from "./fixtures";

async function savedReply(page: Page): Promise<{ content: string; finish_reason: string | null }> {
  const id = /\/chat\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  const res = await page.request.get(`/v1/conversations/${id}`);
  const body = (await res.json()) as { messages: { role: string; content: string; finish_reason: string | null }[] };
  return body.messages.filter((m) => m.role === "assistant").at(-1)!;
}

const replyText = async (page: Page) => ((await lastAssistant(page).textContent()) ?? "").replace("Stopped", "").trim();

async function stopAndCompare(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Stop generating" }).click();
  await expect.poll(async () => (await savedReply(page)).finish_reason).toBe("aborted");
  const saved = await savedReply(page);
  expect(saved.content.length).toBeGreaterThan(10);
  // Shown once: the saved text (without its Markdown marks) appears exactly one time in the message.
  const plain = saved.content.replace(/[*_`#]/g, "").trim();
  await expect.poll(async () => (await replyText(page)).split(plain).length - 1).toBe(1);
}

test("a reload mid-reply reattaches and shows the reply once", async ({ page }) => {
  await register(page);
  await send(page, "Write a long essay about lighthouses [[sim:stall_after=12]]");
  await expect.poll(async () => (await replyText(page)).length).toBeGreaterThan(20);
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await page.reload();
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await expect.poll(async () => (await replyText(page)).length).toBeGreaterThan(20);
  await stopAndCompare(page);
});
