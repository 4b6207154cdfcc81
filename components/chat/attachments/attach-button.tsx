"use client";

// "Attach files" (DESIGN §6): a real file input behind an icon button; the title says the limits
// before anything is chosen.
import { Paperclip } from "lucide-react";
import { useRef } from "react";
import { ACCEPT_ATTRIBUTE } from "@/lib/files/types";
import { formatBytes } from "./format";
import type { UploadLimits } from "./upload-file";

export function limitsText(limits: UploadLimits | undefined): string {
  if (!limits) return "Images, PDFs and text or code files";
  return `${limits.accepted} · up to ${limits.per_message} files, ${formatBytes(limits.bytes_per_file)} each`;
}

export function AttachButton({
  onFiles,
  limits,
  disabled,
  label = "Attach files",
  testId = "attach-input",
}: {
  onFiles: (files: File[]) => void;
  limits: UploadLimits | undefined;
  disabled?: boolean;
  /** The composer's is "Attach files" (DESIGN §6); the message editor names its own. */
  label?: string;
  testId?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        aria-label={label}
        title={`${label}: ${limitsText(limits)}`}
        disabled={disabled}
        onClick={() => input.current?.click()}
        className="mb-0.5 flex size-9 shrink-0 items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-foreground disabled:opacity-50"
      >
        <Paperclip className="size-[18px]" aria-hidden />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid={testId}
        accept={limits?.accept ?? ACCEPT_ATTRIBUTE}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = ""; // the same file can be chosen again after removing it
        }}
      />
    </>
  );
}
