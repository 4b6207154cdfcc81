// Custom instructions (/settings), a chat's own system prompt ("Chat settings") and the notice for
// history left out of the context. The echo model replies with the JSON the gateway sent upstream,
// so a test can read the system message the model got.
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, register, selectModel, send, userMessages, waitForReplyDone } from "./fixtures";

const SYSTEM_START = '{"role":"system","content":"';

/**
 * The system message of the last echo reply. The reply is the upstream request as JSON, shown as
 * markdown (which eats the backslashes of escaped quotes in earlier turns), so the system message,
 * always first and free of quotes here, is cut out of the text rather than parsed.
 */
async function echoedSystemMessage(page: Page): Promise<string> {
  const text = (await lastAssistant(page).textContent()) ?? "";
  const start = text.indexOf(SYSTEM_START);
  expect(start, "the echo reply starts its messages with a system message").toBeGreaterThan(0);
  const from = start + SYSTEM_START.length;
  return text.slice(from, text.indexOf('"}', from));
}

async function echoSystemMessage(page: Page, text: string): Promise<string> {
  await selectModel(page, "Echo (test)");
  await send(page, text);
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).toContainText(`{"role":"user","content":"${text}"}]`);
  return echoedSystemMessage(page);
}

/** Opens "Chat settings"; a click that lands before the page has hydrated does nothing, so retry. */
async function openChatSettings(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Chat settings" });
  await expect(async () => {
    if ((await dialog.count()) === 0) await page.getByRole("button", { name: "Chat settings" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return dialog;
}

async function openSettings(page: Page) {
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  return page.getByRole("region", { name: "Custom instructions" });
}

test("custom instructions from /settings reach the system message, and stop when switched off", async ({ page }) => {
  const aboutMe = "I am a marine biologist who studies octopus cognition.";
  const style = "Answer in three sentences or fewer and end with a question.";
  await register(page);

  let section = await openSettings(page);
  const about = section.getByRole("textbox", { name: "What should the assistant know about you?" });
  const respond = section.getByRole("textbox", { name: "How should the assistant respond?" });
  const toggle = section.getByRole("switch", { name: "Use custom instructions in new chats" });
  const save = section.getByRole("button", { name: "Save" });

  await expect(save).toBeDisabled();
  await expect(section.getByText("0 / 1,500").first()).toBeVisible();
  await about.fill(aboutMe);
  await respond.fill(style);
  await expect(section.getByText(`${aboutMe.length} / 1,500`)).toBeVisible();
  if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await save.click();
  await expect(section.getByRole("status")).toHaveText("Saved");
  await expect(save).toBeDisabled();

  // Saved on the server: a reload shows them.
  await page.reload();
  section = page.getByRole("region", { name: "Custom instructions" });
  await expect(section.getByRole("textbox", { name: "What should the assistant know about you?" })).toHaveValue(aboutMe);
  await expect(section.getByRole("textbox", { name: "How should the assistant respond?" })).toHaveValue(style);

  await page.getByRole("link", { name: "Back to chat" }).click();
  const withInstructions = await echoSystemMessage(page, "Who am I?");
  expect(withInstructions).toContain(aboutMe);
  expect(withInstructions).toContain(style);

  section = await openSettings(page);
  await section.getByRole("switch", { name: "Use custom instructions in new chats" }).click();
  await expect(section.getByRole("switch", { name: "Use custom instructions in new chats" })).toHaveAttribute("aria-checked", "false");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("status")).toHaveText("Saved");

  await page.getByRole("link", { name: "Back to chat" }).click();
  const without = await echoSystemMessage(page, "Who am I now?");
  expect(without).not.toContain(aboutMe);
  expect(without).not.toContain(style);
});

test("a chat's own system prompt, set in Chat settings, is sent with its next reply", async ({ page }) => {
  const prompt = "You are a pirate tutor who explains tide tables.";
  await register(page);
  await expect(page.getByRole("button", { name: "Chat settings" })).toHaveCount(0); // no conversation yet
  const before = await echoSystemMessage(page, "First message");
  expect(before).not.toContain(prompt);

  let dialog = await openChatSettings(page);
  const field = dialog.getByRole("textbox", { name: "System prompt for this chat" });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("");

  // Escape closes without saving and gives focus back.
  await field.fill("not this one");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Chat settings" })).toBeFocused();

  dialog = await openChatSettings(page);
  await expect(dialog.getByRole("textbox", { name: "System prompt for this chat" })).toHaveValue("");
  await dialog.getByRole("textbox", { name: "System prompt for this chat" }).fill(prompt);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await send(page, "Second message");
  await waitForReplyDone(page);
  expect(await echoedSystemMessage(page)).toContain(prompt);

  // The page loads it from the server after a reload.
  await page.reload();
  dialog = await openChatSettings(page);
  await expect(dialog.getByRole("textbox", { name: "System prompt for this chat" })).toHaveValue(prompt);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
});

test("a reply whose context left earlier messages out says so, also after a reload", async ({ page }) => {
  // GPT-3.5 Turbo (simulated) has a 16,385-token window with 4,096 kept for the reply: two messages
  // of ~7,000 tokens each cannot both go upstream.
  const long = (tag: string) => `${tag}: ${" word".repeat(7_000)}`;
  await register(page);
  await selectModel(page, /GPT-3\.5 Turbo/);
  await send(page, long("first"));
  await waitForReplyDone(page);
  await expect(lastAssistant(page).getByRole("note")).toHaveCount(0);

  await send(page, long("second"));
  await waitForReplyDone(page);
  const notice = lastAssistant(page).getByRole("note");
  await expect(notice).toHaveText(/earlier messages? didn't fit this model's context and (was|were) left out\.|summarized/);
  const said = (await notice.textContent()) ?? "";

  await page.reload();
  await expect(userMessages(page)).toHaveCount(2);
  await expect(lastAssistant(page).getByRole("note")).toHaveText(said);
});
