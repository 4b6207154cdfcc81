"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LoaderCircle } from "lucide-react";
import { useId } from "react";
import { useCopy } from "@/components/chat/use-copy";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { queryKeys } from "@/lib/query/keys";
import { createShare, getShare, revokeShare, type ShareJson } from "@/lib/query/share";

const button =
  "inline-flex h-9 items-center justify-center gap-2 rounded-lg px-4 text-sm font-medium disabled:opacity-50";
const primary = `${button} bg-primary text-primary-foreground hover:opacity-90`;
const secondary = `${button} border border-border bg-background hover:bg-accent`;

/**
 * Create, copy, update and revoke a chat's read-only link. The link shows the conversation as it was
 * when it was last shared; "Update link" moves that snapshot to now (same address).
 */
export function ShareDialog({ conversationId, title, onClose }: { conversationId: string; title?: string; onClose: () => void }) {
  const qc = useQueryClient();
  const key = queryKeys.conversations.share(conversationId);
  // Always re-read on open: messages sent since make the snapshot stale ("Update link").
  const share = useQuery({ queryKey: key, queryFn: () => getShare(conversationId), staleTime: 0 });
  const linkId = useId();
  const save = (data: ShareJson) => qc.setQueryData(key, data);
  const create = useMutation({ mutationFn: () => createShare(conversationId), onSuccess: save });
  const revoke = useMutation({ mutationFn: () => revokeShare(conversationId), onSuccess: save });
  const { copied, copy } = useCopy();
  const url = share.data?.share_url ?? null;
  const pending = create.isPending || revoke.isPending;
  const failure = share.error ?? create.error ?? revoke.error;

  return (
    <Dialog
      title={title ? `Share “${title}”` : "Share chat"}
      description="Anyone with the link can read this chat as it is when you share it. Messages you add later stay private until you update the link."
      onClose={onClose}
    >
      <div className="space-y-4">
        {share.isPending ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <LoaderCircle className="size-4 animate-spin" aria-hidden /> Loading…
          </p>
        ) : url ? (
          <>
            <div>
              <label htmlFor={linkId} className="block text-sm font-medium">
                Share link
              </label>
              <input
                id={linkId}
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
                className="mt-1.5 block w-full rounded-lg border border-border bg-muted/40 px-3 py-2 font-mono text-xs"
              />
            </div>
            <p role="status" className="text-sm text-muted-foreground">
              {share.data?.up_to_date ? "The link shows the chat as it is now." : "The link shows an earlier version of this chat."}
            </p>
            <div className="flex flex-wrap justify-end gap-2">
              <button type="button" className={`${secondary} text-danger`} disabled={pending} onClick={() => revoke.mutate()}>
                Revoke link
              </button>
              {share.data?.up_to_date ? null : (
                <button type="button" className={secondary} disabled={pending} onClick={() => create.mutate()}>
                  {create.isPending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
                  Update link
                </button>
              )}
              <button type="button" className={primary} data-autofocus onClick={() => copy(url)}>
                {copied ? "Copied" : "Copy link"}
              </button>
            </div>
          </>
        ) : (
          <div className="flex justify-end">
            <button type="button" className={primary} disabled={pending || share.isError} onClick={() => create.mutate()}>
              {create.isPending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
              Create link
            </button>
          </div>
        )}
        {failure ? <ErrorAlert message={failure.message} /> : null}
      </div>
    </Dialog>
  );
}
