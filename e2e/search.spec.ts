// "Search chats" (DESIGN §6): prefix matching as you type, highlighted snippets, Ctrl/Cmd+K, and a
// result that opens the conversation at the matching message.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { JSON_HEADERS, register, send, sidebar, userMessages, waitForReplyDone } from "./fixtures";

const RARE = "Quetzalcoatl";

/** An old conversation whose first message holds the rare word, followed by many long messages. */
async function importOldChat(api: APIRequestContext): Promise<string> {
  const start = Date.parse("2026-01-05T10:00:00Z");
  const filler = (i: number) =>
    `Part ${i}: ${"The pyramids at Teotihuacan were laid out along a long avenue, with plazas and platforms on either side. ".repeat(6)}`;
  const texts = [`Tell me the legend of ${RARE}, the feathered serpent.`];
  for (let i = 1; i < 12; i++) texts.push(filler(i));
  const messages = texts.map((content, i) => ({
    id: `m${i}`,
    parent_id: i === 0 ? null : `m${i - 1}`,
    role: i % 2 === 0 ? "user" : "assistant",
    content,
    created_at: new Date(start + i * 60_000).toISOString(),
  }));
  const res = await api.post("/v1/conversations/import", {
    headers: JSON_HEADERS,
    data: {
      format: "chatgate.export",
      version: 1,
      conversations: [
        {
          title: "Mesoamerican myths",
          model: "gpt-4o",
          created_at: new Date(start).toISOString(),
          updated_at: new Date(start + texts.length * 60_000).toISOString(),
          current_message_id: `m${texts.length - 1}`,
          messages,
        },
      ],
    },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { conversation_ids: string[] }).conversation_ids[0];
}

test("search finds a word deep inside an old chat as it is typed and opens the chat at it", async ({ page }) => {
  await register(page);
  const id = await importOldChat(page.context().request);
  // A recent chat through the normal pipeline, which must not match.
  await send(page, "What is the capital of Peru?");
  await waitForReplyDone(page);

  const box = page.getByRole("searchbox", { name: "Search chats" });
  const results = page.getByRole("region", { name: "Search results" });
  await box.fill("quetzal");
  const hit = results.getByRole("link", { name: /Mesoamerican myths/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark")).toHaveText(RARE);
  await expect(results.getByRole("link")).toHaveCount(1);
  // The history is out of the way while results are shown.
  await expect(sidebar(page)).toBeHidden();

  await box.fill("quetzalxyz");
  await expect(results.getByText("No chats match")).toBeVisible();
  await box.press("Escape");
  await expect(box).toHaveValue("");
  await expect(sidebar(page).getByRole("link", { name: "Mesoamerican myths" })).toBeVisible();

  // Keyboard: Ctrl+K from the composer, type, ArrowDown to the result, Enter opens it.
  await page.getByRole("textbox", { name: "Message" }).focus();
  await page.keyboard.press("Control+k");
  await expect(box).toBeFocused();
  await page.keyboard.type("feathered serp");
  await expect(hit).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(hit).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(new RegExp(`/chat/${id}\\?m=[0-9a-f-]{36}$`));
  const messageId = new URL(page.url()).searchParams.get("m");
  const target = page.locator(`#message-${messageId}`);
  await expect(target).toContainText(RARE);
  await expect(target).toBeInViewport();
  await expect(userMessages(page).first()).toContainText(RARE);
  // The chat is long: its last message is out of view, so the page did scroll to the match.
  await expect(userMessages(page).last()).not.toBeInViewport();
  await expect(box).toHaveValue("");
});
