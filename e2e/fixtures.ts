// Shared page helpers: selectors by role and accessible name (DESIGN §6), never by CSS.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import fs from "node:fs";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function register(page: Page, email = uniqueEmail()): Promise<string> {
  await page.goto("/login");
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  return email;
}

/** Creates the account, or signs in when the address has one already (a second test, a retry). */
export async function registerOrSignIn(page: Page, email: string, baseURL = ""): Promise<void> {
  await page.goto(`${baseURL}/login`);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  const message = page.getByRole("textbox", { name: "Message" });
  const taken = page.getByText("An account with this email already exists.");
  await expect(message.or(taken)).toBeVisible();
  if (await taken.isVisible()) {
    // React resets the form after its action: the password field is empty again.
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(message).toBeVisible();
  }
}

/** The e2e stack's admin (ADMIN_EMAILS in e2e/global-setup.ts): registered on first use, signed in after. */
export const ADMIN_EMAIL = "admin@example.test";

/**
 * Signs in as an address ADMIN_EMAILS names (the e2e stack's admin unless told otherwise; a spec's own
 * app passes its base URL, admin and mail log), registering it on first use. ADMIN_EMAILS applies to a
 * verified address only, so the newest link the app logged for it is opened; the link is single-use,
 * and a later sign-in finds the address verified already. Ends on the chat page.
 */
export async function signInAsAdmin(page: Page, { email = ADMIN_EMAIL, baseURL = "", mailLog }: { email?: string; baseURL?: string; mailLog?: string } = {}): Promise<void> {
  await registerOrSignIn(page, email, baseURL);
  await page.goto(await verificationLink(email, mailLog));
  await expect(page.getByRole("heading", { name: /Email verified|This link does not work/ })).toBeVisible();
  await page.goto(`${baseURL}/`);
}

/** The newest verification link the app logged for an address (no mail transport in e2e: e2e/app-server.ts). */
export async function verificationLink(email: string, mailLog = process.env.E2E_MAIL_LOG): Promise<string> {
  if (!mailLog) throw new Error("E2E_MAIL_LOG is not set (e2e/global-setup.ts)");
  let found: string | undefined;
  await expect(async () => {
    const lines = fs.readFileSync(mailLog, "utf8").split("\n").filter((l) => l.includes(` for ${email} `));
    found = lines.at(-1)?.match(/(https?:\/\/\S+)/)?.[1];
    expect(found).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return found!;
}

export async function continueAsGuest(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue as guest" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
}

export async function selectModel(page: Page, label: string | RegExp): Promise<void> {
  const picker = page.getByRole("combobox", { name: "Model" });
  const option = picker.getByRole("option", { name: label });
  const value = await option.getAttribute("value");
  await picker.selectOption(value ?? { label: String(label) });
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  const button = page.getByRole("button", { name: "Send message" });
  // Text typed before React hydrates the page is not in its state (the button stays disabled):
  // type it again until the composer has taken it, as a user would.
  await expect(async () => {
    await box.fill(text);
    await expect(button).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await button.click();
}

export function lastAssistant(page: Page) {
  return page.getByRole("article", { name: /assistant/i }).last();
}

export function userMessages(page: Page) {
  return page.getByRole("article", { name: /your message/i });
}

/** Samples the reply's text while it streams; returns how many distinct lengths were seen. */
export async function watchStreaming(page: Page, until: () => Promise<boolean>): Promise<number[]> {
  const lengths: number[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = (await lastAssistant(page).textContent().catch(() => "")) ?? "";
    if (lengths[lengths.length - 1] !== text.length) lengths.push(text.length);
    if (await until()) break;
    await page.waitForTimeout(20);
  }
  return lengths;
}

export async function waitForReplyDone(page: Page): Promise<void> {
  await expect(page.getByRole("button", { name: "Stop generating" })).toHaveCount(0, { timeout: 30_000 });
}

export const JSON_HEADERS = { "content-type": "application/json" };

/** Creates a conversation through the REST API (quicker than the UI where the UI is not under test). */
export async function createChat(api: APIRequestContext, title: string): Promise<{ id: string; title: string }> {
  const res = await api.post("/v1/conversations", { headers: JSON_HEADERS, data: { title } });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; title: string };
}

export function sidebar(page: Page) {
  return page.getByRole("navigation", { name: "Conversations" });
}

/** Opens a conversation's "Conversation options" menu; retried, as a click before hydration does nothing. */
export async function openConversationMenu(page: Page, title: string) {
  const item = sidebar(page).getByRole("listitem").filter({ has: page.getByRole("link", { name: title, exact: true }) });
  const menu = page.getByRole("menu", { name: "Conversation options" });
  await expect(async () => {
    if ((await menu.count()) === 0) {
      await item.hover();
      await item.getByRole("button", { name: "Conversation options" }).click();
    }
    await expect(menu).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return menu;
}
