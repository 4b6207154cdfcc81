"use client";

// Attachment chips: thumbnail or file icon, name, type, size, upload progress, and a Remove button
// named after the file (DESIGN §6). The composer shows its pending uploads; the message editor shows
// the files the message keeps beside the ones added to it.
import { FileCode, FileText, X } from "lucide-react";
import type { AttachmentPart, FileKind } from "@/lib/files/types";
import { formatBytes, typeLabel } from "./format";
import { fileUrl } from "./message-attachments";
import type { PendingAttachment } from "./use-attachments";

/** What a chip shows: a pending upload's fields (previewUrl: a local object URL, or the owner's file route for an image already sent), plus its kind and type. */
export type Chip = Pick<PendingAttachment, "key" | "name" | "size" | "previewUrl" | "status" | "progress"> & {
  kind: FileKind | null;
  mime: string | null;
};

export function chipOfUpload(it: PendingAttachment): Chip {
  return { ...it, kind: (it.result?.kind as FileKind | undefined) ?? (it.previewUrl ? "image" : null), mime: it.result?.mime ?? null };
}

export function chipOfPart(a: AttachmentPart): Chip {
  return {
    key: `sent:${a.file_id}`,
    name: a.name,
    size: a.size,
    previewUrl: a.kind === "image" ? fileUrl(a.file_id) : null,
    status: "ready",
    progress: 1,
    kind: a.kind,
    mime: a.mime,
  };
}

export function AttachmentChips({ items, onRemove }: { items: Chip[]; onRemove: (key: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul aria-label="Attachments" className="flex flex-wrap gap-2 pb-2 pt-1">
      {items.map((it) => {
        const kind = it.kind;
        const label = typeLabel(it.name, kind, it.mime);
        const pct = Math.round(it.progress * 100);
        return (
          <li key={it.key} className="relative flex max-w-64 items-center gap-2 rounded-2xl border border-border bg-muted/60 py-1.5 pl-1.5 pr-8 text-sm dark:bg-background">
            {it.previewUrl ? (
              // A local object URL of the user's own file, or its owner-only route; next/image cannot optimise blob: URLs.
              // eslint-disable-next-line @next/next/no-img-element
              <img src={it.previewUrl} alt="" className="size-10 shrink-0 rounded-xl object-cover" />
            ) : (
              <span className="flex size-10 shrink-0 items-center justify-center rounded-xl bg-primary text-primary-foreground" aria-hidden>
                {kind === "pdf" ? <FileText className="size-5" /> : <FileCode className="size-5" />}
              </span>
            )}
            <span className="min-w-0">
              <span className="block truncate font-medium" title={it.name}>
                {it.name}
              </span>
              <span className="block text-xs text-muted-foreground">
                {label} · {formatBytes(it.size)}
                {it.status === "uploading" ? ` · uploading ${pct}%` : ""}
              </span>
              {it.status === "uploading" ? (
                <span
                  role="progressbar"
                  aria-label={`Uploading ${it.name}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                  className="mt-1 block h-1 w-28 overflow-hidden rounded-full bg-border"
                >
                  <span className="block h-full bg-primary transition-[width]" style={{ width: `${pct}%` }} />
                </span>
              ) : null}
            </span>
            <button
              type="button"
              aria-label={`Remove ${it.name}`}
              title={`Remove ${it.name}`}
              onClick={() => onRemove(it.key)}
              className="absolute right-1.5 top-1.5 flex size-6 items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-foreground"
            >
              <X className="size-3.5" aria-hidden />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
