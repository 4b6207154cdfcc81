// Attachments shown in a sent message: images as thumbnails (alt = file name, DESIGN §6), PDFs and
// code files as cards with name, pages or lines and tokens. On a share page the files come through
// the share-scoped route, which serves only files of the snapshot.
import { FileCode, FileText } from "lucide-react";
import type { AttachmentPart } from "@/lib/files/types";
import { detailLabel, typeLabel } from "./format";

export function fileUrl(fileId: string, shareToken?: string): string {
  return shareToken ? `/api/share/${encodeURIComponent(shareToken)}/files/${fileId}` : `/api/files/${fileId}`;
}

export function MessageAttachments({ attachments, shareToken }: { attachments: AttachmentPart[] | undefined; shareToken?: string }) {
  if (!attachments?.length) return null;
  return (
    <div className="mb-1.5 flex max-w-[85%] flex-wrap justify-end gap-2 sm:max-w-[75%]">
      {attachments.map((a) =>
        a.kind === "image" ? (
          <a key={a.file_id} href={fileUrl(a.file_id, shareToken)} target="_blank" rel="noopener noreferrer" className="block">
            {/* Served by our own route (owner or share scoped); next/image would proxy it needlessly. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={fileUrl(a.file_id, shareToken)}
              alt={a.name}
              loading="lazy"
              className="max-h-48 max-w-60 rounded-2xl border border-border object-cover"
            />
          </a>
        ) : (
          <a
            key={a.file_id}
            href={fileUrl(a.file_id, shareToken)}
            className="flex min-w-48 max-w-72 items-center gap-2.5 rounded-2xl border border-border bg-background px-2.5 py-2 text-left text-sm hover:bg-muted"
            aria-label={`${a.name}, ${typeLabel(a.name, a.kind, a.mime)}, ${detailLabel(a)}`}
          >
            <span className="flex size-9 shrink-0 items-center justify-center rounded-xl bg-primary text-primary-foreground" aria-hidden>
              {a.kind === "pdf" ? <FileText className="size-5" /> : <FileCode className="size-5" />}
            </span>
            <span className="min-w-0">
              <span className="block truncate font-medium">{a.name}</span>
              <span className="block text-xs text-muted-foreground">
                {typeLabel(a.name, a.kind, a.mime)} · {detailLabel(a)}
              </span>
            </span>
          </a>
        ),
      )}
    </div>
  );
}
