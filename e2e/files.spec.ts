// Attachments end to end (issue 14): by button, drag and drop and paste; a PDF and a code file; what
// the Echo (test) model received; reload; the share page for an anonymous visitor; refusals that
// keep the typed text. Fixtures are made here (sharp, pdf-lib).
import { expect, type Page, test } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";
import { JSON_HEADERS, lastAssistant, register, selectModel, send, userMessages } from "./fixtures";

const SHOTS = process.env.E2E_SCREENSHOTS;

const png = (color: string, w = 120, h = 80) => sharp({ create: { width: w, height: h, channels: 3, background: color } }).png().toBuffer();

async function pdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) doc.addPage().drawText(`Quarterly report, page ${n}.`, { x: 50, y: 700, size: 12, font });
  return Buffer.from(await doc.save());
}

async function attachByButton(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles(files);
}

/** Files dropped onto the chat or pasted into the message box, as the browser delivers them. */
async function dispatchFiles(page: Page, how: "drop" | "paste", name: string, buffer: Buffer) {
  const target = how === "drop" ? page.locator("main") : page.getByRole("textbox", { name: "Message" });
  await target.evaluate(
    (el, { how, name, b64 }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: "image/png" }));
      if (how === "paste") {
        el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
        return;
      }
      for (const type of ["dragenter", "dragover", "drop"]) el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { how, name, b64: buffer.toString("base64") },
  );
}

async function uploaded(page: Page, names: string[]) {
  for (const name of names) await expect(page.getByRole("button", { name: `Remove ${name}` })).toBeVisible();
  await expect(page.getByRole("progressbar")).toHaveCount(0, { timeout: 30_000 });
}

async function imageLoaded(page: Page, name: string) {
  const img = page.getByRole("img", { name }).first();
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
}

test("attach images by button, drop and paste, a PDF and a code file; echo shows the parts; reload and share keep them", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await register(page);
  await selectModel(page, "Echo (test)");

  await attachByButton(page, [{ name: "button.png", mimeType: "image/png", buffer: await png("#2563eb") }]);
  await dispatchFiles(page, "drop", "dropped.png", await png("#16a34a"));
  await dispatchFiles(page, "paste", "pasted.png", await png("#dc2626"));
  await uploaded(page, ["button.png", "dropped.png", "pasted.png"]);
  await expect(page.getByRole("list", { name: "Attachments" }).getByText("PNG ·")).toHaveCount(3);
  if (SHOTS) await page.locator("form").last().screenshot({ path: `${SHOTS}/composer-chips.png` });

  await send(page, "What colours are these?");
  await expect(userMessages(page).first().getByRole("img", { name: "button.png" })).toBeVisible();
  const firstEcho = lastAssistant(page);
  await expect(firstEcho).toContainText("image_url");
  await expect(firstEcho).toContainText("data:image/png;base64,…(");
  await expect(firstEcho).toContainText("What colours are these?");
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible({ timeout: 30_000 });

  await attachByButton(page, [
    { name: "report.pdf", mimeType: "application/pdf", buffer: await pdf(3) },
    { name: "main.py", mimeType: "text/x-python", buffer: Buffer.from("def answer():\n    return 42\nprint(answer())\n") },
  ]);
  await uploaded(page, ["report.pdf", "main.py"]);
  await send(page, "Summarize the report and explain the code.");
  const second = userMessages(page).last();
  await expect(second.getByRole("link", { name: /report\.pdf, PDF, 3 pages/ })).toBeVisible();
  await expect(second.getByRole("link", { name: /main\.py, PY, 3 lines/ })).toBeVisible();
  await expect(lastAssistant(page)).toContainText(/Attached PDF \\?"report\.pdf\\?" \(3 pages\)/);
  await expect(lastAssistant(page)).toContainText("Quarterly report, page 3.");
  await expect(lastAssistant(page)).toContainText(/Attached file \\?"main\.py\\?" \(python\)/);
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible({ timeout: 30_000 });
  if (SHOTS) await userMessages(page).first().screenshot({ path: `${SHOTS}/message-images.png` });
  if (SHOTS) await second.screenshot({ path: `${SHOTS}/message-cards.png` });

  // Reload: the attachments come back from the database, the images from the owner's file route.
  await page.reload();
  for (const name of ["button.png", "dropped.png", "pasted.png"]) await imageLoaded(page, name);
  await expect(page.getByRole("link", { name: /report\.pdf, PDF, 3 pages/ })).toBeVisible();

  // Share, then look as an anonymous visitor: only files of the snapshot, through the share route.
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const shared = await page.request.post(`/v1/conversations/${id}/share`, { headers: JSON_HEADERS });
  expect(shared.status()).toBe(200);
  const { share_url } = (await shared.json()) as { share_url: string };
  const visitor = await browser.newContext();
  const anon = await visitor.newPage();
  await anon.goto(new URL(share_url).pathname);
  for (const name of ["button.png", "dropped.png", "pasted.png"]) await imageLoaded(anon, name);
  await expect(anon.getByRole("link", { name: /main\.py, PY, 3 lines/ })).toBeVisible();
  const src = await anon.getByRole("img", { name: "button.png" }).getAttribute("src");
  expect(src).toMatch(/^\/api\/share\/[A-Za-z0-9_-]{32}\/files\/[0-9a-f-]{36}$/);
  // The owner's own route is not open to the visitor.
  expect((await anon.request.get(src!.replace(/^\/api\/share\/[^/]+/, "/api"))).status()).toBe(401);
  await visitor.close();
});

test("a refused type and an oversized file show clear messages and keep what was typed", async ({ page }) => {
  await register(page);
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(async () => {
    await box.fill("My draft that must survive");
    await expect(page.getByRole("button", { name: "Send message" })).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await attachByButton(page, [{ name: "cat.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><html><script>alert(1)</script></html>") }]);
  // (Next's route announcer is an alert too.)
  const alert = page.getByRole("alert").filter({ hasText: "10 MB each" });
  await expect(alert).toContainText("“cat.png” wasn’t attached: HTML and SVG files are not accepted. You can attach PNG, JPEG, WebP or GIF images, PDFs");
  await expect(page.getByRole("button", { name: "Remove cat.png" })).toHaveCount(0);
  await expect(box).toHaveValue("My draft that must survive");

  await attachByButton(page, [{ name: "huge.txt", mimeType: "text/plain", buffer: Buffer.alloc(11 * 1024 * 1024, 0x61) }]);
  await expect(alert).toContainText("“huge.txt” is 11 MB; files can be at most 10 MB on your plan.");
  await expect(alert).toContainText("up to 4 files, 10 MB each");
  await expect(box).toHaveValue("My draft that must survive");
  if (SHOTS) await page.locator("main").screenshot({ path: `${SHOTS}/refused.png` });

  // A model that cannot see images: said before sending.
  await selectModel(page, /GPT-3\.5 Turbo/);
  await attachByButton(page, [{ name: "chart.png", mimeType: "image/png", buffer: await png("#9333ea") }]);
  await uploaded(page, ["chart.png"]);
  await expect(page.getByRole("status").filter({ hasText: "can’t see images" })).toContainText("GPT-3.5 Turbo (simulated) can’t see images");
  await expect(box).toHaveValue("My draft that must survive");
});

test("a file alone is a message: Send is enabled with no text, the echo gets the file, the bubble shows only the file", async ({ page }) => {
  await register(page);
  await selectModel(page, "Echo (test)");
  const sendButton = page.getByRole("button", { name: "Send message" });
  await expect(sendButton).toBeDisabled();
  await attachByButton(page, [{ name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Groceries\n- apples\n- bread\n") }]);
  await uploaded(page, ["notes.md"]);
  await expect(sendButton).toBeEnabled();
  await sendButton.click();
  const mine = userMessages(page).last();
  await expect(mine.getByRole("link", { name: /notes\.md/ })).toBeVisible();
  await expect(lastAssistant(page)).toContainText("Groceries");
  await expect(page.getByRole("button", { name: "Send message" })).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(page.getByRole("link", { name: /notes\.md/ })).toBeVisible();
});
