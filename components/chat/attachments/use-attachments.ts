"use client";

// The composer's pending attachments: uploads with progress, refusals as words (before uploading
// when the tier's limits already say no), removal (which deletes the upload), and the parts the
// message is sent with. The typed text lives elsewhere and is never touched here.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FileObject } from "@/lib/files/file-object";
import type { AttachmentPart } from "@/lib/files/types";
import { formatBytes } from "./format";
import { fetchUploadLimits, uploadFile, type UploadLimits } from "./upload-file";

export interface PendingAttachment {
  key: string;
  name: string;
  size: number;
  /** Object URL of a local image, for the chip's thumbnail. */
  previewUrl: string | null;
  status: "uploading" | "ready";
  progress: number;
  result: FileObject | null;
  /** PDFs: send only the first N pages (the user's choice when the whole file does not fit). */
  pageLimit: number | null;
}

export interface AttachmentsController {
  items: PendingAttachment[];
  limits: UploadLimits | undefined;
  error: string | null;
  uploading: boolean;
  add: (files: File[]) => void;
  remove: (key: string) => void;
  setPageLimit: (key: string, pages: number | null) => void;
  dismissError: () => void;
  /** The parts to send; clears the chips (the uploads now belong to the message). */
  take: () => AttachmentPart[];
  /** Drops every chip and deletes its upload (an edit given up). */
  discard: () => void;
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);
let seq = 0;

/** Tokens a model would get from one upload (the largest count over encodings; the server has the exact one). */
export function uploadTokens(f: FileObject, pageLimit: number | null): number {
  const all = Math.max(0, ...Object.values(f.tokens));
  return pageLimit && f.pages ? Math.ceil((all * pageLimit) / f.pages) : all;
}

/** `reserved`: files the message already has (an edit keeps its attachments), counted against the per-message limit. */
export function useAttachments({ reserved = 0 }: { reserved?: number } = {}): AttachmentsController {
  const { data: limits } = useQuery({ queryKey: ["files", "limits"], queryFn: fetchUploadLimits, staleTime: 60_000 });
  const [items, setItems] = useState<PendingAttachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const aborts = useRef(new Map<string, AbortController>());
  // Chips counted synchronously too, so one drop of several files is checked against the limit as a whole.
  const count = useRef(0);
  const itemsRef = useRef(items);
  useEffect(() => {
    count.current = items.length;
    itemsRef.current = items;
  }, [items]);

  const patch = useCallback((key: string, change: Partial<PendingAttachment>) => {
    setItems((prev) => prev.map((it) => (it.key === key ? { ...it, ...change } : it)));
  }, []);

  const drop = useCallback((key: string) => {
    setItems((prev) => {
      const gone = prev.find((it) => it.key === key);
      if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
      return prev.filter((it) => it.key !== key);
    });
  }, []);

  const add = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      setError(null);
      const room = limits ? limits.per_message - reserved - count.current : files.length;
      if (limits && files.length > room) {
        setError(`You can attach up to ${limits.per_message} files to a message.`);
        files = files.slice(0, Math.max(0, room));
      }
      for (const file of files) {
        if (limits && file.size > limits.bytes_per_file) {
          setError(`“${file.name}” is ${formatBytes(file.size)}; files can be at most ${formatBytes(limits.bytes_per_file)} on your plan.`);
          continue;
        }
        const key = `a${++seq}`;
        const ac = new AbortController();
        aborts.current.set(key, ac);
        const previewUrl = IMAGE_TYPES.has(file.type) ? URL.createObjectURL(file) : null;
        count.current++;
        setItems((prev) => [...prev, { key, name: file.name || "pasted image", size: file.size, previewUrl, status: "uploading", progress: 0, result: null, pageLimit: null }]);
        uploadFile(file, (progress) => patch(key, { progress }), ac.signal).then(
          (result) => patch(key, { status: "ready", progress: 1, result }),
          (err: Error) => {
            drop(key);
            if (err.name !== "AbortError") setError(`“${file.name || "pasted image"}” wasn’t attached: ${err.message}`);
          },
        );
      }
    },
    [limits, reserved, patch, drop],
  );

  const remove = useCallback(
    (key: string) => {
      aborts.current.get(key)?.abort();
      aborts.current.delete(key);
      const item = items.find((it) => it.key === key);
      if (item?.result) void fetch(`/api/files/${item.result.id}`, { method: "DELETE", credentials: "same-origin" }).catch(() => undefined);
      drop(key);
    },
    [items, drop],
  );

  const discard = useCallback(() => {
    for (const it of items) remove(it.key);
  }, [items, remove]);

  const take = useCallback((): AttachmentPart[] => {
    const parts = items.flatMap((it): AttachmentPart[] =>
      it.result
        ? [
            {
              type: "file",
              file_id: it.result.id,
              name: it.result.name,
              kind: it.result.kind as AttachmentPart["kind"],
              mime: it.result.mime,
              size: it.result.size,
              pages: it.result.pages,
              lines: it.result.lines,
              tokens: uploadTokens(it.result, it.pageLimit),
              ...(it.pageLimit ? { page_limit: it.pageLimit } : {}),
            },
          ]
        : [],
    );
    aborts.current.clear();
    for (const it of items) if (it.previewUrl) URL.revokeObjectURL(it.previewUrl);
    setItems([]);
    return parts;
  }, [items]);

  // Thumbnails' object URLs go with the component.
  useEffect(() => () => itemsRef.current.forEach((it) => it.previewUrl && URL.revokeObjectURL(it.previewUrl)), []);

  return {
    items,
    limits,
    error,
    uploading: items.some((it) => it.status === "uploading"),
    add,
    remove,
    setPageLimit: (key, pages) => patch(key, { pageLimit: pages }),
    dismissError: () => setError(null),
    take,
    discard,
  };
}
