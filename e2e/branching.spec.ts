// Branching and sharing in the browser: edit a message into a second version, switch versions
// (remembered across reloads), check the context with the echo model, branch into a new chat, and
// share a chat with an anonymous visitor who continues it.
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, register, selectModel, send, sidebar, userMessages, waitForReplyDone } from "./fixtures";

function versions(page: Page, text: string) {
  return userMessages(page).filter({ hasText: text });
}

test("edit makes a second version; switching is remembered; the echo reply proves the context", async ({ page }) => {
  await register(page);
  await selectModel(page, "Echo (test)");
  await send(page, "apple");
  await waitForReplyDone(page);
  await send(page, "banana");
  await waitForReplyDone(page);

  const banana = versions(page, "banana");
  await banana.hover();
  await banana.getByRole("button", { name: "Edit message" }).click();
  const editor = page.getByRole("textbox", { name: "Edit your message" });
  await expect(editor).toHaveValue("banana");
  await editor.fill("cherry");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await waitForReplyDone(page);

  // The reply saw the edited question, not the old one.
  await expect(lastAssistant(page)).toContainText('"content":"cherry"');
  await expect(lastAssistant(page)).not.toContainText("banana");
  const cherry = versions(page, "cherry");
  await expect(cherry.getByText("2 / 2")).toBeVisible();
  await expect(userMessages(page)).toHaveCount(2);

  await cherry.getByRole("button", { name: "Previous version" }).click();
  await expect(versions(page, "banana").getByText("1 / 2")).toBeVisible();
  await expect(versions(page, "cherry")).toHaveCount(0);
  await expect(lastAssistant(page)).toContainText('"content":"banana"');

  await page.reload();
  await expect(versions(page, "banana").getByText("1 / 2")).toBeVisible();
  await expect(versions(page, "cherry")).toHaveCount(0);

  // The next message continues the chosen version: the model gets apple, banana, date — no cherry.
  await send(page, "date");
  await waitForReplyDone(page);
  const echo = (await lastAssistant(page).textContent()) ?? "";
  expect(echo).toContain('"content":"apple"');
  expect(echo).toContain('"content":"banana"');
  expect(echo).toContain('"content":"date"');
  expect(echo).not.toContain("cherry");

  // Next version brings back the edited branch down to its own reply.
  await versions(page, "banana").getByRole("button", { name: "Next version" }).click();
  await expect(versions(page, "cherry").getByText("2 / 2")).toBeVisible();
  await expect(versions(page, "date")).toHaveCount(0);

  // Branch in new chat: a new conversation with this path.
  await lastAssistant(page).hover();
  await lastAssistant(page).getByRole("button", { name: "More actions" }).click();
  await page.getByRole("menuitem", { name: "Branch in new chat" }).click();
  await expect(sidebar(page).getByRole("link", { name: /^Branch · / })).toBeVisible();
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(versions(page, "cherry")).toBeVisible();
  await expect(userMessages(page)).toHaveCount(2);
});

test("share a chat, open the link anonymously, continue it there; revoking ends the link", async ({ page, browser }) => {
  await register(page);
  await send(page, "Plan a picnic for **four** people");
  await waitForReplyDone(page);

  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share chat" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = dialog.getByRole("textbox", { name: "Share link" });
  await expect(link).toHaveValue(/\/share\/[A-Za-z0-9_-]{32}$/);
  const url = await link.inputValue();
  await expect(dialog.getByRole("button", { name: "Copy link" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Update link" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Close" }).click();

  // A later message is not shared until "Update link", which keeps the address.
  await send(page, "And what should we drink?");
  await waitForReplyDone(page);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await expect(dialog.getByRole("status")).toHaveText("The link shows an earlier version of this chat.");
  await dialog.getByRole("button", { name: "Update link" }).click();
  await expect(dialog.getByRole("status")).toHaveText("The link shows the chat as it is now.");
  await expect(link).toHaveValue(url);
  await dialog.getByRole("button", { name: "Close" }).click();

  const visitor = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const guest = await visitor.newPage();
  await guest.goto(url);
  await expect(guest.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(guest.getByRole("article", { name: "User message" })).toHaveText(["Plan a picnic for **four** people", "And what should we drink?"]);
  // Replies are rendered markdown; the page is read-only.
  await expect(guest.getByRole("article", { name: "Assistant message" })).toHaveCount(2);
  await expect(guest.getByRole("article", { name: "Assistant message" }).first()).not.toBeEmpty();
  await expect(guest.getByRole("textbox", { name: "Message" })).toHaveCount(0);

  await guest.getByRole("button", { name: "Continue this conversation" }).click();
  await expect(guest).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(userMessages(guest).first()).toContainText("Plan a picnic for **four** people");
  await send(guest, "Add a dessert");
  await waitForReplyDone(guest);
  await expect(userMessages(guest)).toHaveCount(3);
  await expect(sidebar(guest).getByRole("link", { name: /Plan a picnic/ })).toBeVisible();

  // The owner revokes: the link is gone; the visitor's copy stays.
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await page.getByRole("dialog", { name: "Share chat" }).getByRole("button", { name: "Revoke link" }).click();
  await expect(page.getByRole("dialog", { name: "Share chat" }).getByRole("button", { name: "Create link" })).toBeVisible();
  const gone = await guest.goto(url);
  expect(gone?.status()).toBe(404);
  await guest.goBack();
  await expect(userMessages(guest)).toHaveCount(3);
  await visitor.close();
});
