import { describe, expect, it } from "vitest";
import type { ConversationListItem } from "./conversations";
import { insertItem, mapItems, removeItem, type ListData } from "./conversations-cache";

function item(id: string, updatedAt: string): ConversationListItem {
  return {
    id,
    object: "conversation",
    title: id,
    model: "m",
    created_at: updatedAt,
    updated_at: updatedAt,
    current_message_id: null,
    is_archived: false,
    system_prompt: null,
  };
}

function data(pages: ConversationListItem[][], lastHasMore = false): ListData {
  return {
    pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
    pages: pages.map((p, i) => ({
      object: "list",
      data: p,
      has_more: i < pages.length - 1 || lastHasMore,
      next_cursor: i < pages.length - 1 || lastHasMore ? `c${i + 1}` : null,
    })),
  };
}

const ids = (d: ListData) => d.pages.map((p) => p.data.map((c) => c.id));

describe("optimistic list edits", () => {
  const a = item("a", "2026-10-05T00:00:00.000Z");
  const b = item("b", "2026-10-04T00:00:00.000Z");
  const c = item("c", "2026-10-03T00:00:00.000Z");
  const d = item("d", "2026-10-02T00:00:00.000Z");

  it("removes and maps across pages without touching the others", () => {
    const list = data([[a, b], [c, d]]);
    expect(ids(removeItem(list, "c"))).toEqual([["a", "b"], ["d"]]);
    expect(mapItems(list, (x) => (x.id === "b" ? { ...x, title: "B" } : x)).pages[0].data[1].title).toBe("B");
    expect(list.pages[0].data[1].title).toBe("b");
  });

  it("inserts in the server's order (updated_at desc, then id desc)", () => {
    expect(ids(insertItem(data([[a, c], [d]]), b))).toEqual([["a", "b", "c"], ["d"]]);
    const twin = item("bb", b.updated_at);
    expect(ids(insertItem(data([[a, b, c]]), twin))).toEqual([["a", "bb", "b", "c"]]);
  });

  it("appends past the end only when every page is loaded", () => {
    const old = item("old", "2020-01-01T00:00:00.000Z");
    expect(ids(insertItem(data([[a, b]]), old))).toEqual([["a", "b", "old"]]);
    expect(ids(insertItem(data([[a, b]], true), old))).toEqual([["a", "b"]]);
  });

  it("never lists an item twice", () => {
    const moved = { ...c, updated_at: "2026-10-06T00:00:00.000Z" };
    expect(ids(insertItem(data([[a, b], [c, d]]), moved))).toEqual([["c", "a", "b"], ["d"]]);
  });
});
