// Optimistic edits of the cached conversation lists (the sidebar and "Archived chats"), and their
// rollback. The pure functions work on one infinite query's data; the others on every cached list.
import type { InfiniteData, Query, QueryClient, QueryKey } from "@tanstack/react-query";
import type { ConversationListItem, ConversationListPage } from "./conversations";
import { queryKeys } from "./keys";

export type ListData = InfiniteData<ConversationListPage, string | null>;
export type ListSnapshot = Array<[QueryKey, ListData | undefined]>;

export function mapItems(data: ListData, fn: (item: ConversationListItem) => ConversationListItem): ListData {
  return { ...data, pages: data.pages.map((p) => ({ ...p, data: p.data.map(fn) })) };
}

export function removeItem(data: ListData, id: string): ListData {
  return { ...data, pages: data.pages.map((p) => ({ ...p, data: p.data.filter((c) => c.id !== id) })) };
}

/** The server's order: updated_at desc, then id desc (ISO timestamps and lowercase UUIDs sort as strings). */
function comesBefore(a: ConversationListItem, b: ConversationListItem): boolean {
  if (a.updated_at !== b.updated_at) return a.updated_at > b.updated_at;
  return a.id > b.id;
}

/**
 * Puts `item` where the server would list it. Past the last loaded item it is left out while more
 * pages exist: it arrives with them, and inserting it early would show it twice.
 */
export function insertItem(data: ListData, item: ConversationListItem): ListData {
  const pages = removeItem(data, item.id).pages;
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i];
    const at = page.data.findIndex((c) => comesBefore(item, c));
    if (at >= 0) {
      const next = [...page.data.slice(0, at), item, ...page.data.slice(at)];
      return { ...data, pages: pages.map((p, j) => (j === i ? { ...p, data: next } : p)) };
    }
  }
  const last = pages.at(-1);
  if (!last || last.has_more) return { ...data, pages };
  return { ...data, pages: pages.map((p, j) => (j === pages.length - 1 ? { ...p, data: [...p.data, item] } : p)) };
}

/** Every cached list, or only the archived (true) or the active (false) ones. */
function listFilter(archived?: boolean) {
  return {
    queryKey: queryKeys.conversations.lists,
    predicate: (q: Query) => archived === undefined || (q.queryKey[2] as { archived?: boolean } | undefined)?.archived === archived,
  };
}

export function findInLists(qc: QueryClient, id: string): ConversationListItem | undefined {
  for (const [, data] of qc.getQueriesData<ListData>(listFilter())) {
    const hit = data?.pages.flatMap((p) => p.data).find((c) => c.id === id);
    if (hit) return hit;
  }
  return undefined;
}

/** Stops list fetches in flight (they would overwrite the optimistic edit) and keeps what was cached. */
export async function snapshotLists(qc: QueryClient): Promise<ListSnapshot> {
  await qc.cancelQueries({ queryKey: queryKeys.conversations.lists });
  return qc.getQueriesData<ListData>(listFilter());
}

export function restoreLists(qc: QueryClient, snapshot: ListSnapshot): void {
  for (const [key, data] of snapshot) qc.setQueryData(key, data);
}

export function editLists(qc: QueryClient, edit: (data: ListData) => ListData, archived?: boolean): void {
  qc.setQueriesData<ListData>(listFilter(archived), (data) => (data ? edit(data) : data));
}
