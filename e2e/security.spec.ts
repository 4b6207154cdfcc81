// Security headers in a real browser (issue 17 item 15): the chat works under the Content-Security-
// Policy with no violation reported, every response carries the headers (the share page and the
// app server's streaming routes included), a reply cannot make the browser load a foreign image,
// and a cross-site server action is refused with 403, not 500.
import { expect, test, type Page } from "@playwright/test";
import { lastAssistant, PASSWORD, register, selectModel, send, verificationLink, waitForReplyDone } from "./fixtures";

function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) seen.push(m.text());
  });
  page.on("pageerror", (e) => seen.push(String(e)));
  return seen;
}

function expectPolicy(headers: Record<string, string>, kind: "page" | "api") {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  if (kind === "page") {
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toContain("unsafe-inline' 'strict");
  } else {
    expect(csp).toContain("default-src 'none'");
  }
}

test("the chat works under the policy: no CSP violation, no foreign image, headers on pages, API, streams and the share page", async ({ page }) => {
  const violations = watchViolations(page);
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(process.env.E2E_BASE_URL!)) foreign.push(r.url());
  });
  const login = await page.goto("/login");
  expectPolicy(login!.headers(), "page");
  await register(page);
  // The echo model repeats the prompt: a reply containing a Markdown image of a foreign URL.
  await selectModel(page, "Echo (test)");
  const streamed = page.waitForResponse((r) => r.url().endsWith("/api/chat") && r.request().method() === "POST");
  await send(page, "![pixel](https://tracker.example/p.png?leak=chat) and <img src=https://tracker.example/q.png onerror=alert(1)>");
  expectPolicy((await streamed).headers(), "api"); // the app server's streaming route
  await waitForReplyDone(page);
  await expect(lastAssistant(page)).toContainText("tracker.example");
  expect(await lastAssistant(page).locator("img").count()).toBe(0);

  const api = page.context().request;
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const list = await api.get("/v1/conversations");
  expectPolicy(list.headers(), "api");
  // Body-less share (no content type), then the share page with its own policy.
  const shared = await api.post(`/v1/conversations/${id}/share`);
  expect(shared.status()).toBe(200);
  const sharePath = new URL(((await shared.json()) as { share_url: string }).share_url).pathname;
  const share = await page.goto(sharePath);
  expectPolicy(share!.headers(), "page");
  expect(share!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.getByRole("button", { name: "Continue this conversation" })).toBeVisible();

  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});

test("a cross-site server action is refused with 403", async ({ request }) => {
  const res = await request.post("/login", {
    headers: { "next-action": "0".repeat(40), origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" },
    data: "[]",
  });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("cross_site_request");
});

test("Settings: what verification gates, the link verifies, and Sign out of all devices ends every session", async ({ page, browser }) => {
  const email = await register(page);
  await page.goto("/settings");
  const account = page.getByRole("region", { name: "Account" });
  await expect(account).toContainText("not verified");
  await expect(account).toContainText("Everything works without verifying");
  await page.goto(await verificationLink(email));
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();
  await page.goto("/settings");
  await expect(account).toContainText(`${email} · verified`);

  // The same account signed in on a second device.
  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const second = await other.newPage();
  await second.goto("/login");
  await second.getByRole("textbox", { name: "Email" }).fill(email);
  await second.getByLabel("Password").fill(PASSWORD);
  await second.getByRole("button", { name: "Sign in" }).click();
  await expect(second.getByRole("textbox", { name: "Message" })).toBeVisible();

  await account.getByRole("button", { name: "Sign out of all devices" }).click();
  await expect(page).toHaveURL(/\/login/);
  await second.goto("/settings");
  await expect(second).toHaveURL(/\/login/);
  await other.close();
});
