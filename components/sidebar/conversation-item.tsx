"use client";

import { clsx } from "clsx";
import { Archive, Ellipsis, Pencil, Share, Trash2 } from "lucide-react";
import Link from "next/link";
import { memo, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { DropdownMenu, MenuItem } from "@/components/ui/menu";
import { ShareDialog } from "@/components/share/share-dialog";
import { displayTitle, type ConversationListItem } from "@/lib/query/conversations";
import { DeleteChatDialog } from "./delete-chat-dialog";
import type { ConversationActions } from "./use-conversation-actions";

const TITLE_MAX = 200;
const itemIcon = "size-4 text-muted-foreground";

/** One row of the history: a link named by the title, its options menu, inline rename. */
export const ConversationItem = memo(function ConversationItem({
  conversation,
  active,
  onNavigate,
  actions,
}: {
  conversation: ConversationListItem;
  active: boolean;
  onNavigate: () => void;
  actions: Pick<ConversationActions, "rename" | "archive" | "remove">;
}) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [sharing, setSharing] = useState(false);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const refocusLink = useRef(false);
  const title = displayTitle(conversation);
  const href = `/chat/${conversation.id}`;

  useEffect(() => {
    if (!renaming && refocusLink.current) {
      refocusLink.current = false;
      linkRef.current?.focus();
    }
  }, [renaming]);

  return (
    <li className="group relative">
      {renaming ? (
        <RenameField
          title={conversation.title?.trim() ?? ""}
          onDone={(next, viaKeyboard) => {
            refocusLink.current = viaKeyboard;
            setRenaming(false);
            if (next && next !== conversation.title?.trim()) actions.rename(conversation.id, next);
          }}
        />
      ) : (
        <>
          <Link
            ref={linkRef}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            title={title}
            className={clsx(
              "block truncate rounded-lg py-2 pl-2 pr-9 text-sm transition-colors",
              active
                ? "bg-accent font-medium text-foreground"
                : // The title gives up room for the options button only while the button shows.
                  "text-foreground/85 hover:bg-accent/70 group-focus-within:bg-accent/70 group-has-[[aria-expanded=true]]:bg-accent/70 pointer-fine:pr-2 pointer-fine:group-focus-within:pr-9 pointer-fine:group-hover:pr-9 pointer-fine:group-has-[[aria-expanded=true]]:pr-9",
            )}
          >
            {title}
          </Link>
          <div className="absolute inset-y-0 right-1 flex items-center">
            <DropdownMenu
              label="Conversation options"
              icon={<Ellipsis className="size-4" aria-hidden />}
              buttonClassName={clsx(
                "flex size-7 items-center justify-center rounded-md text-muted-foreground transition-opacity hover:bg-background/70 hover:text-foreground focus-visible:opacity-100 aria-expanded:opacity-100 dark:hover:bg-white/10",
                // Hidden until hover or focus where there is a mouse; always there on touch.
                !active && "pointer-fine:opacity-0 pointer-fine:group-hover:opacity-100 pointer-fine:group-focus-within:opacity-100",
              )}
            >
              <MenuItem icon={<Pencil className={itemIcon} aria-hidden />} onSelect={() => setRenaming(true)}>
                Rename
              </MenuItem>
              <MenuItem icon={<Share className={itemIcon} aria-hidden />} onSelect={() => setSharing(true)}>
                Share
              </MenuItem>
              <MenuItem icon={<Archive className={itemIcon} aria-hidden />} onSelect={() => actions.archive(conversation.id)}>
                Archive
              </MenuItem>
              <MenuItem icon={<Trash2 className="size-4" aria-hidden />} tone="danger" onSelect={() => setConfirming(true)}>
                Delete
              </MenuItem>
            </DropdownMenu>
          </div>
        </>
      )}
      {sharing ? <ShareDialog conversationId={conversation.id} title={title} onClose={() => setSharing(false)} /> : null}
      {confirming ? (
        <DeleteChatDialog
          title={title}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            actions.remove(conversation.id);
          }}
        />
      ) : null}
    </li>
  );
});

/** Enter saves, Escape cancels, leaving the field saves (as ChatGPT does). */
function RenameField({ title, onDone }: { title: string; onDone: (title: string | null, viaKeyboard: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);

  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);

  function finish(value: string | null, viaKeyboard: boolean) {
    if (done.current) return;
    done.current = true;
    onDone(value === null ? null : value.trim() || null, viaKeyboard);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Enter") {
      e.preventDefault();
      finish(e.currentTarget.value, true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      // Escape cancels the rename only; it must not also close the drawer.
      e.stopPropagation();
      finish(null, true);
    }
  }

  return (
    <input
      ref={ref}
      type="text"
      aria-label="Rename conversation"
      defaultValue={title}
      maxLength={TITLE_MAX}
      onKeyDown={onKeyDown}
      onBlur={(e) => finish(e.currentTarget.value, false)}
      className="block w-full rounded-lg border border-ring bg-background px-2 py-[7px] text-sm outline-none ring-2 ring-ring/30"
    />
  );
}
