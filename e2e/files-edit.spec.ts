// Editing a message that has attachments, in the browser against the real stack: the editor shows
// the message's files as chips and keeps them by default (the echo model shows the new reply still
// received them), one can be removed and another added before resending, the versions keep their
// own files across a reload, and a cancelled edit sends nothing.
import { expect, type Page, test } from "@playwright/test";
import sharp from "sharp";
import { lastAssistant, register, selectModel, send, userMessages, waitForReplyDone } from "./fixtures";

const png = (color: string) => sharp({ create: { width: 60, height: 40, channels: 3, background: color } }).png().toBuffer();

function editor(page: Page) {
  return page.getByRole("form", { name: "Edit message" });
}

async function openEditor(page: Page, text: string) {
  const message = userMessages(page).filter({ hasText: text });
  await message.hover();
  await message.getByRole("button", { name: "Edit message" }).click();
  await expect(page.getByRole("textbox", { name: "Edit your message" })).toHaveValue(text);
}

test("an edited message keeps its attachments; one can be removed and one added; the reply sees exactly those", async ({ page }) => {
  test.setTimeout(120_000);
  await register(page);
  await selectModel(page, "Echo (test)");

  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles([
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("The launch code is pineapple.\n") },
    { name: "dot.png", mimeType: "image/png", buffer: await png("#dc2626") },
  ]);
  await expect(page.getByRole("button", { name: "Remove dot.png" })).toBeVisible();
  await expect(page.getByRole("progressbar")).toHaveCount(0, { timeout: 30_000 });
  await send(page, "What does the note say?");
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).toContainText("pineapple");

  // Edit: the chips of the message's own files are there; only the text changes.
  await openEditor(page, "What does the note say?");
  await expect(editor(page).getByRole("button", { name: "Remove notes.txt" })).toBeVisible();
  await expect(editor(page).getByRole("button", { name: "Remove dot.png" })).toBeVisible();
  await page.getByRole("textbox", { name: "Edit your message" }).fill("Quote the note exactly.");
  await editor(page).getByRole("button", { name: "Send", exact: true }).click();
  await waitForReplyDone(page);
  const reply = lastAssistant(page);
  await expect(reply).toContainText("Quote the note exactly.");
  await expect(reply).toContainText("The launch code is pineapple.");
  await expect(reply).toContainText("image_url");
  await expect(reply).not.toContainText("What does the note say?");
  const edited = userMessages(page).filter({ hasText: "Quote the note exactly." });
  await expect(edited.getByText("2 / 2")).toBeVisible();
  await expect(edited.getByRole("img", { name: "dot.png" })).toBeVisible();
  await expect(edited.getByRole("link", { name: /notes\.txt, TXT, 1 line/ })).toBeVisible();

  // Edit again with the same text: leave the image out and add a file — that alone makes it sendable.
  await openEditor(page, "Quote the note exactly.");
  const sendEdit = editor(page).getByRole("button", { name: "Send", exact: true });
  await expect(sendEdit).toBeDisabled();
  await editor(page).getByRole("button", { name: "Remove dot.png" }).click();
  await expect(editor(page).getByRole("button", { name: "Remove dot.png" })).toHaveCount(0);
  const editChooser = page.waitForEvent("filechooser");
  await editor(page).getByRole("button", { name: "Add files" }).click();
  await (await editChooser).setFiles([{ name: "extra.md", mimeType: "text/markdown", buffer: Buffer.from("# Second note\nBring snacks.\n") }]);
  await expect(editor(page).getByRole("button", { name: "Remove extra.md" })).toBeVisible();
  await expect(editor(page).getByRole("progressbar")).toHaveCount(0, { timeout: 30_000 });
  await sendEdit.click();
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).toContainText("Bring snacks.");
  await expect(lastAssistant(page)).toContainText("pineapple");
  await expect(lastAssistant(page)).not.toContainText("image_url");
  const third = userMessages(page).filter({ hasText: "Quote the note exactly." });
  await expect(third.getByText("3 / 3")).toBeVisible();
  await expect(third.getByRole("img")).toHaveCount(0);
  await expect(third.getByRole("link", { name: /extra\.md/ })).toBeVisible();

  // After a reload each version shows its own files, served from its own copies.
  await page.reload();
  const latest = userMessages(page).filter({ hasText: "Quote the note exactly." });
  await expect(latest.getByText("3 / 3")).toBeVisible();
  await expect(latest.getByRole("link", { name: /notes\.txt/ })).toBeVisible();
  await expect(latest.getByRole("link", { name: /extra\.md/ })).toBeVisible();
  await latest.getByRole("button", { name: "Previous version" }).click();
  const second = userMessages(page).filter({ hasText: "Quote the note exactly." });
  await expect(second.getByText("2 / 3")).toBeVisible();
  const img = second.getByRole("img", { name: "dot.png" });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

  // A cancelled edit sends nothing and the version stays as it was.
  await openEditor(page, "Quote the note exactly.");
  await editor(page).getByRole("button", { name: "Remove notes.txt" }).click();
  await editor(page).getByRole("button", { name: "Cancel" }).click();
  await expect(editor(page)).toHaveCount(0);
  await expect(userMessages(page).filter({ hasText: "Quote the note exactly." }).getByText("2 / 3")).toBeVisible();
  await expect(userMessages(page).last().getByRole("link", { name: /notes\.txt/ })).toBeVisible();
});
