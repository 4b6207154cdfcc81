// Tools end to end through the simulator's tools contract (DESIGN §3): a ```python block runs in the
// sandbox ("Ran code" with its output and a file to download), "read <URL>" reads a local page
// (allowed by the e2e stack's SAFE_FETCH_ALLOW_HOSTS) and the step links it, "draw …" shows the
// generated image, Stop during a run stops it, a reload mid-loop resumes the steps; a shared chat's
// generated image goes with "Continue this conversation" and outlives the owner's chat. Web search
// has no provider here: Settings says it is off.
import { expect, test } from "@playwright/test";
import { JSON_HEADERS, lastAssistant, register, selectModel, send, waitForReplyDone } from "./fixtures";

const python = (code: string) => `Please run:\n\`\`\`python\n${code}\n\`\`\``;

test.describe.configure({ timeout: 90_000 });

test("code runs: its output and the file it wrote appear under \"Ran code\"", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, python('print("tide", 6 * 7)\nopen("report.txt", "w").write("high water")'));
  const reply = lastAssistant(page);
  const step = reply.getByRole("button", { name: /^Ran code/ });
  await expect(step).toBeVisible({ timeout: 60_000 });
  await waitForReplyDone(page);
  await expect(step).toHaveAttribute("aria-expanded", "false"); // collapsed once done
  await expect(reply).toContainText("The tool returned:");
  await step.click();
  await expect(step).toHaveAttribute("aria-expanded", "true");
  await expect(reply.getByLabel("Output")).toHaveText(/tide 42/);
  const file = reply.getByRole("link", { name: /report\.txt/ });
  await expect(file).toBeVisible();
  const download = page.waitForEvent("download");
  await file.click();
  expect((await download).suggestedFilename()).toBe("report.txt");
  // After a reload the saved chain shows the same step.
  await page.reload();
  await expect(lastAssistant(page).getByRole("button", { name: /^Ran code/ })).toBeVisible();
});

test("a page read is linked from its step; web search is off without a provider", async ({ page }) => {
  const url = process.env.E2E_PAGE_URL!;
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, `read ${url}`);
  const reply = lastAssistant(page);
  const step = reply.getByRole("button", { name: "Read Lighthouse keeping" });
  await expect(step).toBeVisible({ timeout: 30_000 });
  await waitForReplyDone(page);
  await step.click();
  const link = reply.getByRole("link", { name: "Lighthouse keeping" });
  await expect(link).toHaveAttribute("href", url);
  await expect(reply).toContainText("The tool returned:"); // the model's next turn had the page

  await page.goto("/settings");
  const tools = page.getByRole("region", { name: "Tools" });
  await expect(tools.getByText(/Unavailable on this server: .*search/i)).toBeVisible();
  await expect(tools.getByRole("switch", { name: "Web search" })).toBeDisabled();
  await expect(tools.getByRole("switch", { name: "Code interpreter" })).toBeChecked();
});

test("an image is generated and shown inline", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, "draw a lighthouse at dusk");
  const reply = lastAssistant(page);
  const step = reply.getByRole("button", { name: /^Generated an image/ });
  await expect(step).toBeVisible({ timeout: 30_000 });
  await waitForReplyDone(page);
  // The image is the answer: shown under the step while the step itself is collapsed.
  await expect(step).toHaveAttribute("aria-expanded", "false");
  const img = reply.getByRole("img", { name: "a lighthouse at dusk" });
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
});

test("Stop during a code run stops it; the step says so", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, python("while True:\n    pass"));
  const reply = lastAssistant(page);
  await expect(reply.getByRole("button", { name: /Running code/ })).toBeVisible({ timeout: 60_000 });
  const started = Date.now();
  await page.getByRole("button", { name: "Stop generating" }).click();
  await waitForReplyDone(page);
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(reply.getByRole("button", { name: "Ran code (stopped)" })).toBeVisible();
  await expect(reply.getByText("Stopped", { exact: true })).toBeVisible();
  await page.reload();
  const saved = lastAssistant(page).getByRole("button", { name: /^Ran code/ });
  await expect(saved).toBeVisible();
  await saved.click();
  await expect(lastAssistant(page).getByText("Stopped.")).toBeVisible();
});

test("a reload mid-loop resumes the steps", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, python('import time\ntime.sleep(3)\nprint("after the nap")'));
  await expect(lastAssistant(page).getByRole("button", { name: /Running code/ })).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await page.reload();
  const step = lastAssistant(page).getByRole("button", { name: /^Ran code/ });
  await expect(step).toBeVisible({ timeout: 30_000 });
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).toContainText("after the nap");
  await expect(lastAssistant(page).getByRole("button", { name: /code/ })).toHaveCount(1);
});

test("a shared chat's generated image goes with \"Continue this conversation\" and stays after the owner deletes the chat", async ({ page, browser }) => {
  await register(page);
  await selectModel(page, /GPT-4o \(simulated\)/);
  await send(page, "draw a harbour at noon");
  await expect(lastAssistant(page).getByRole("button", { name: /^Generated an image/ })).toBeVisible({ timeout: 30_000 });
  await waitForReplyDone(page);
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const conversationId = page.url().split("/").at(-1)!;
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share chat" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
  await dialog.getByRole("button", { name: "Close" }).click();

  const visitor = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const guest = await visitor.newPage();
  await guest.goto(url);
  await guest.getByRole("button", { name: "Continue this conversation" }).click();
  await expect(guest).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const shown = async () => {
    const step = lastAssistant(guest).getByRole("button", { name: /^Generated an image/ });
    await step.click();
    const img = lastAssistant(guest).getByRole("img", { name: "a harbour at noon" });
    await expect(img).toBeVisible();
    // The visitor's own copy of the file (the owner's id would be a 404 for them).
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    return img.getAttribute("src");
  };
  const src = await shown();
  expect(src).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);

  // The owner deletes the chat (its files and their objects go); the visitor's copy keeps its image.
  expect((await page.request.delete(`/v1/conversations/${conversationId}`, { headers: { ...JSON_HEADERS, origin: new URL(page.url()).origin } })).status()).toBe(200);
  expect((await page.request.get(url)).status()).toBe(404);
  await guest.reload();
  expect(await shown()).toBe(src);
  await visitor.close();
});
