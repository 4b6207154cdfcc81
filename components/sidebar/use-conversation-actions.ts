"use client";

import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { updateConversation } from "@/lib/query/conversation";
import { deleteConversation } from "@/lib/query/conversations";
import {
  editLists,
  findInLists,
  insertItem,
  mapItems,
  removeItem,
  restoreLists,
  snapshotLists,
  type ListSnapshot,
} from "@/lib/query/conversations-cache";
import { queryKeys } from "@/lib/query/keys";

const MUTATION_KEY = ["conversations", "edit"] as const;

type Action =
  | { kind: "rename"; id: string; title: string }
  | { kind: "archive"; id: string }
  | { kind: "unarchive"; id: string }
  | { kind: "delete"; id: string };

function send(action: Action): Promise<unknown> {
  switch (action.kind) {
    case "rename":
      return updateConversation(action.id, { title: action.title });
    case "archive":
    case "unarchive":
      return updateConversation(action.id, { archived: action.kind === "archive" });
    case "delete":
      return deleteConversation(action.id);
  }
}

/** What the cached lists look like once the server has done it. */
function applyOptimistically(qc: QueryClient, action: Action): void {
  const item = findInLists(qc, action.id);
  switch (action.kind) {
    case "rename":
      editLists(qc, (data) => mapItems(data, (c) => (c.id === action.id ? { ...c, title: action.title } : c)));
      break;
    case "archive":
    case "unarchive": {
      const archived = action.kind === "archive";
      editLists(qc, (data) => removeItem(data, action.id), !archived);
      if (item) editLists(qc, (data) => insertItem(data, { ...item, is_archived: archived }), archived);
      break;
    }
    case "delete":
      editLists(qc, (data) => removeItem(data, action.id));
      break;
  }
}

const FAILURE: Record<Action["kind"], string> = {
  rename: "Couldn’t rename the chat.",
  archive: "Couldn’t archive the chat.",
  unarchive: "Couldn’t unarchive the chat.",
  delete: "Couldn’t delete the chat.",
};

/**
 * Rename, archive, unarchive and delete, optimistic on every cached conversation list (sidebar,
 * archived chats) and rolled back with the server's message if the request fails. Archiving or
 * deleting the chat that is open leaves it for a new chat.
 */
export function useConversationActions() {
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [error, setError] = useState<string | null>(null);

  const mutation = useMutation<unknown, Error, Action, { snapshot: ListSnapshot }>({
    mutationKey: MUTATION_KEY,
    mutationFn: send,
    onMutate: async (action) => {
      setError(null);
      const snapshot = await snapshotLists(qc);
      applyOptimistically(qc, action);
      return { snapshot };
    },
    onError: (err, action, context) => {
      if (context) restoreLists(qc, context.snapshot);
      setError(`${FAILURE[action.kind]} ${err.message}`);
    },
    onSettled: () => {
      // Refetch once the last of several quick edits is done, so none undoes another's optimistic state.
      if (qc.isMutating({ mutationKey: MUTATION_KEY }) === 1) {
        void qc.invalidateQueries({ queryKey: queryKeys.conversations.all });
      }
    },
  });
  const { mutate } = mutation;

  const leaveIfOpen = useCallback(
    (id: string) => {
      if (pathname === `/chat/${id}`) router.push("/");
    },
    [pathname, router],
  );

  return {
    error,
    dismissError: useCallback(() => setError(null), []),
    rename: useCallback((id: string, title: string) => mutate({ kind: "rename", id, title }), [mutate]),
    archive: useCallback(
      (id: string) => {
        mutate({ kind: "archive", id });
        leaveIfOpen(id);
      },
      [mutate, leaveIfOpen],
    ),
    unarchive: useCallback((id: string) => mutate({ kind: "unarchive", id }), [mutate]),
    remove: useCallback(
      (id: string) => {
        mutate({ kind: "delete", id });
        leaveIfOpen(id);
      },
      [mutate, leaveIfOpen],
    ),
  };
}

export type ConversationActions = ReturnType<typeof useConversationActions>;
