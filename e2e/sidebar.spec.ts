// The sidebar's history (DESIGN §6): date sections, the per-item menu (Rename, Share placeholder,
// Archive, Delete with confirmation), "Archived chats", optimistic edits and their rollback.
import { expect, test } from "@playwright/test";
import { createChat, openConversationMenu, register, sidebar } from "./fixtures";

test("rename, archive, unarchive and delete from the sidebar, all still so after a reload", async ({ page }) => {
  await register(page);
  const api = page.context().request;
  const titles = ["Alpha plans", "Bravo notes", "Charlie ideas", "Delta draft"];
  for (const t of titles) await createChat(api, t);
  await page.reload();
  const nav = sidebar(page);
  await expect(nav.getByRole("heading", { name: "Today" })).toBeVisible();
  for (const t of titles) await expect(nav.getByRole("link", { name: t, exact: true })).toBeVisible();

  // Rename inline: Escape cancels, Enter saves.
  let menu = await openConversationMenu(page, "Alpha plans");
  await expect(menu.getByRole("menuitem")).toHaveText(["Rename", "Share", "Archive", "Delete"]);
  await menu.getByRole("menuitem", { name: "Rename" }).click();
  let field = nav.getByRole("textbox", { name: "Rename conversation" });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("Alpha plans");
  await field.fill("Not this");
  await field.press("Escape");
  await expect(nav.getByRole("link", { name: "Alpha plans", exact: true })).toBeFocused();
  await openConversationMenu(page, "Alpha plans");
  await page.getByRole("menuitem", { name: "Rename" }).click();
  field = nav.getByRole("textbox", { name: "Rename conversation" });
  await field.fill("Alpha renamed");
  await field.press("Enter");
  await expect(nav.getByRole("link", { name: "Alpha renamed", exact: true })).toBeVisible();

  // Share opens the share dialog (sharing itself is covered by e2e/branching.spec.ts).
  menu = await openConversationMenu(page, "Bravo notes");
  await menu.getByRole("menuitem", { name: "Share" }).click();
  const shareDialog = page.getByRole("dialog", { name: "Share “Bravo notes”" });
  await expect(shareDialog.getByRole("button", { name: "Create link" })).toBeVisible();
  await shareDialog.getByRole("button", { name: "Close" }).click();
  await expect(shareDialog).toHaveCount(0);
  menu = await openConversationMenu(page, "Bravo notes");

  // Archive: the chat leaves the list.
  await menu.getByRole("menuitem", { name: "Archive" }).click();
  await expect(nav.getByRole("link", { name: "Bravo notes", exact: true })).toHaveCount(0);

  // "Archived chats" lists it; Unarchive puts it back.
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Archived chats" }).click();
  const archived = page.getByRole("dialog", { name: "Archived chats" });
  await expect(archived.getByText("Bravo notes")).toBeVisible();
  await archived.getByRole("button", { name: "Unarchive Bravo notes" }).click();
  await expect(archived.getByText("You have no archived chats.")).toBeVisible();
  await archived.getByRole("button", { name: "Close" }).click();
  await expect(nav.getByRole("link", { name: "Bravo notes", exact: true })).toBeVisible();

  // Delete asks first; Cancel keeps the chat.
  menu = await openConversationMenu(page, "Charlie ideas");
  await menu.getByRole("menuitem", { name: "Delete" }).click();
  let confirm = page.getByRole("dialog", { name: "Delete chat?" });
  await expect(confirm).toContainText("Charlie ideas");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Charlie ideas", exact: true })).toBeVisible();
  await openConversationMenu(page, "Charlie ideas");
  await page.getByRole("menuitem", { name: "Delete" }).click();
  confirm = page.getByRole("dialog", { name: "Delete chat?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(nav.getByRole("link", { name: "Charlie ideas", exact: true })).toHaveCount(0);

  await page.reload();
  await expect(nav.getByRole("heading", { name: "Today" })).toBeVisible();
  for (const t of ["Alpha renamed", "Bravo notes", "Delta draft"]) {
    await expect(nav.getByRole("link", { name: t, exact: true })).toBeVisible();
  }
  for (const t of ["Alpha plans", "Charlie ideas"]) await expect(nav.getByRole("link", { name: t, exact: true })).toHaveCount(0);
});

test("the options menu works from the keyboard", async ({ page }) => {
  await register(page);
  await createChat(page.context().request, "Keyboard chat");
  await page.reload();
  const item = sidebar(page).getByRole("listitem").filter({ hasText: "Keyboard chat" });
  const button = item.getByRole("button", { name: "Conversation options" });
  const menu = page.getByRole("menu", { name: "Conversation options" });
  await expect(async () => {
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(menu.getByRole("menuitem", { name: "Rename" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Share" })).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(menu.getByRole("menuitem", { name: "Delete" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();

  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Rename" })).toBeFocused();
  await page.keyboard.press("Enter");
  const field = sidebar(page).getByRole("textbox", { name: "Rename conversation" });
  await expect(field).toBeFocused();
  await field.fill("Renamed by keyboard");
  await page.keyboard.press("Enter");
  await expect(sidebar(page).getByRole("link", { name: "Renamed by keyboard" })).toBeFocused();
});

test("a failed rename is rolled back and the server's message shown", async ({ page }) => {
  await register(page);
  await createChat(page.context().request, "Stable title");
  await page.reload();
  await page.route("**/v1/conversations/*", (route) =>
    route.request().method() === "PATCH"
      ? route.fulfill({
          status: 503,
          json: { error: { message: "The database is unavailable.", type: "server_error", code: "unavailable", param: null } },
        })
      : route.fallback(),
  );
  await openConversationMenu(page, "Stable title");
  await page.getByRole("menuitem", { name: "Rename" }).click();
  const field = sidebar(page).getByRole("textbox", { name: "Rename conversation" });
  await field.fill("Doomed title");
  await field.press("Enter");
  await expect(sidebar(page).getByRole("alert")).toContainText("The database is unavailable.");
  await expect(sidebar(page).getByRole("link", { name: "Stable title", exact: true })).toBeVisible();
  await expect(sidebar(page).getByRole("link", { name: "Doomed title" })).toHaveCount(0);
});

test("deleting the open chat goes back to a new chat", async ({ page }) => {
  await register(page);
  const chat = await createChat(page.context().request, "Open then delete");
  await page.goto(`/chat/${chat.id}`);
  const link = sidebar(page).getByRole("link", { name: "Open then delete" });
  await expect(link).toHaveAttribute("aria-current", "page");
  await openConversationMenu(page, "Open then delete");
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete chat?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(link).toHaveCount(0);
  expect((await page.context().request.get(`/v1/conversations/${chat.id}`)).status()).toBe(404);
});

test("the history loads more as it scrolls", async ({ page }) => {
  await register(page);
  const api = page.context().request;
  // One more than the first page (30).
  for (let i = 1; i <= 31; i++) await createChat(api, `Scroll chat ${String(i).padStart(2, "0")}`);
  await page.reload();
  const nav = sidebar(page);
  await expect(nav.getByRole("link", { name: "Scroll chat 31" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Scroll chat 01" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Scroll chat 02" }).scrollIntoViewIfNeeded();
  await expect(nav.getByRole("link", { name: "Scroll chat 01" })).toBeAttached();
});
