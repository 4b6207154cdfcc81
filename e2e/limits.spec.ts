// Usage limits and API keys as a user meets them: the fallback model at a model's cap (the e2e stack
// gives free accounts one GPT-4 message per 3 hours), the Usage section, and API keys created in
// /settings, used with the OpenAI API and revoked.
import { expect, test } from "@playwright/test";
import { JSON_HEADERS, lastAssistant, register, selectModel, send, waitForReplyDone } from "./fixtures";

test("at a model's limit the reply falls back to the tier's fallback model and says so", async ({ page }) => {
  await register(page);
  await selectModel(page, /GPT-4 \(simulated\)/);
  await send(page, "First question");
  await waitForReplyDone(page);
  await expect(lastAssistant(page).getByRole("note")).toHaveCount(0);
  await expect(lastAssistant(page)).toContainText("gpt-4");

  await send(page, "Second question");
  await waitForReplyDone(page);
  const notice = lastAssistant(page).getByRole("note");
  await expect(notice).toHaveText(/^You.ve reached the GPT-4 limit until \d{1,2}:\d\d(\s?[AP]M)?; replies use gpt-3\.5-turbo until then\.$/);
  await expect(lastAssistant(page)).toContainText("gpt-3.5-turbo");

  await page.goto("/settings");
  const usage = page.getByRole("region", { name: "Usage" });
  await expect(usage.getByRole("list", { name: "Limits" })).toContainText("GPT-4: 0 of 1 messages left per 3h");
  // The usage event is written just after the reply ends; the page is server-rendered, so reload until it is there.
  await expect(async () => {
    await page.reload();
    await expect(usage).toContainText(/Replies\s*2/, { timeout: 1_000 });
  }).toPass();
});

test("an API key is created once, works with the OpenAI API, shows when it was used, and stops at once when revoked", async ({
  page,
  playwright,
}) => {
  await register(page);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "API keys" });
  await expect(section).toContainText("No keys yet.");
  await section.getByRole("textbox", { name: "Key name" }).fill("e2e script");
  await section.getByRole("button", { name: "Create key" }).click();
  const field = section.getByRole("textbox", { name: /New API key/ });
  await expect(field).toHaveValue(/^sk-[A-Za-z0-9_-]{40,}$/);
  const key = await field.inputValue();
  await expect(section.getByRole("list", { name: "Your API keys" })).toContainText(`e2e script`);
  await expect(section.getByRole("list", { name: "Your API keys" })).toContainText(`sk-…${key.slice(-4)}`);
  await expect(section).toContainText("never used");

  // No cookies here: only the key authenticates.
  const api = await playwright.request.newContext({ baseURL: page.url().replace(/\/settings$/, "") });
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${key}` };
  const models = await api.get("/v1/models", { headers: auth });
  expect(models.status()).toBe(200);
  expect((await models.json()).data.map((m: { id: string }) => m.id)).toContain("gpt-4o");
  const completion = await api.post("/v1/chat/completions", {
    headers: auth,
    data: { model: "sim-echo", messages: [{ role: "user", content: "hi from e2e" }] },
  });
  expect(completion.status()).toBe(200);
  expect(completion.headers()["x-ratelimit-limit-requests"]).toBeTruthy();
  expect((await completion.json()).choices[0].message.content).toContain("hi from e2e");

  await page.reload();
  await expect(section).toContainText("last used");
  await section.getByRole("button", { name: "Revoke e2e script" }).click();
  await section.getByRole("button", { name: "Revoke key" }).click();
  await expect(section).toContainText("No keys yet.");
  const after = await api.get("/v1/models", { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("invalid_api_key");
  await api.dispose();
});
