// A reply survives the browser: a reload mid-reply reattaches and shows it once, to its end; a
// dropped connection resumes with Last-Event-ID in the same message. The text on screen must equal
// what the server saved (nothing doubled, nothing missing).
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, register, selectModel, send, waitForReplyDone } from "./fixtures";

async function savedReply(page: Page): Promise<{ content: string; finish_reason: string | null }> {
  const id = /\/chat\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  const res = await page.request.get(`/v1/conversations/${id}`);
  const body = (await res.json()) as { messages: { role: string; content: string; finish_reason: string | null }[] };
  return body.messages.filter((m) => m.role === "assistant").at(-1)!;
}

test("a reload mid-reply reattaches and shows the whole reply once", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4 \(simulated\)/); // 40 tokens/s: still streaming for a few seconds
  await send(page, "Write a long essay about lighthouses");
  await expect.poll(async () => ((await lastAssistant(page).textContent()) ?? "").length).toBeGreaterThan(20);
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await page.reload();
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await waitForReplyDone(page);
  await expect.poll(async () => (await savedReply(page)).finish_reason).toBe("stop");
  const saved = await savedReply(page);
  expect(((await lastAssistant(page).textContent()) ?? "").includes(saved.content)).toBe(true);
  expect(((await lastAssistant(page).textContent()) ?? "").split(saved.content.slice(0, 40)).length).toBe(2); // once
});

test("a dropped connection resumes with Last-Event-ID in the same message", async ({ page, context }) => {
  const resumes: string[] = [];
  page.on("request", (req) => {
    const id = req.headers()["last-event-id"];
    if (/\/api\/chat\/[^/]+\/stream$/.test(req.url()) && id) resumes.push(id);
  });
  await register(page);
  await selectModel(page, /GPT-4 \(simulated\)/);
  await send(page, "Write a long essay about tides");
  await expect.poll(async () => ((await lastAssistant(page).textContent()) ?? "").length).toBeGreaterThan(20);
  await context.setOffline(true);
  await page.waitForTimeout(600);
  await context.setOffline(false);
  await waitForReplyDone(page);
  await expect.poll(async () => (await savedReply(page)).finish_reason).toBe("stop");
  expect(resumes.length).toBeGreaterThan(0);
  expect(Number(resumes[0])).toBeGreaterThan(1);
  const saved = await savedReply(page);
  const shown = (await lastAssistant(page).textContent()) ?? "";
  expect(shown.includes(saved.content)).toBe(true);
  expect(shown.split(saved.content.slice(0, 40)).length).toBe(2);
});
