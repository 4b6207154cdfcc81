// Settings → Data: import ChatGPT's conversations.json (branches kept) and export everything.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, register, sidebar, userMessages } from "./fixtures";

const FIXTURE = path.resolve(import.meta.dirname, "../tests/fixtures/chatgpt-conversations.json");

async function openDataSettings(page: Page) {
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  return page.getByRole("region", { name: "Data" });
}

test("import a ChatGPT export with its branches, then export everything", async ({ page }) => {
  await register(page);
  let data = await openDataSettings(page);

  // An invalid file imports nothing and says why.
  await data.getByLabel("Import chats").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello":1}') });
  await expect(data.getByRole("alert")).toContainText("This file cannot be imported");

  await data.getByLabel("Import chats").setInputFiles(FIXTURE);
  await expect(data.getByRole("status")).toHaveText("Imported 2 chats");
  await expect(data.getByRole("alert")).toHaveCount(0);

  await page.getByRole("link", { name: "Back to chat" }).click();
  const nav = sidebar(page);
  await expect(nav.getByRole("link", { name: "Sourdough starter help" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Regex for dates" })).toBeVisible();

  // The current branch is shown; the tree keeps both.
  await nav.getByRole("link", { name: "Sourdough starter help" }).click();
  await expect(userMessages(page).last()).toContainText("What flour ratio should I feed it with?");
  // The other branch's question is its earlier version.
  await expect(userMessages(page).last().getByText("2 / 2")).toBeVisible();
  await expect(lastAssistant(page)).toContainText("1:1:1");
  await expect(userMessages(page)).toHaveCount(2);
  const id = page.url().split("/chat/")[1];
  const tree = (await (await page.context().request.get(`/v1/conversations/${id}?tree=1`)).json()) as {
    messages: { content: string }[];
  };
  expect(tree.messages).toHaveLength(6);
  expect(tree.messages.map((m) => m.content)).toContain("How often should I feed it?");

  data = await openDataSettings(page);
  const [download] = await Promise.all([page.waitForEvent("download"), data.getByRole("link", { name: "Export all chats" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^chatgate-export-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as {
    format: string;
    conversations: { title: string; messages: unknown[] }[];
  };
  expect(doc.format).toBe("chatgate.export");
  expect(doc.conversations.map((c) => c.title).sort()).toEqual(["Regex for dates", "Sourdough starter help"]);
});
