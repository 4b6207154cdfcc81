"use client";

// What the user must know before sending: a refused file (why, and what is accepted), images a
// model cannot see, and attachments too large for the model's context — with an explicit choice
// (the first N pages of a PDF) instead of silent truncation.
import { AlertCircle, Info } from "lucide-react";
import type { UiModel } from "@/lib/models/catalog";
import { limitsText } from "./attach-button";
import { formatCount } from "./format";
import { type AttachmentsController, uploadTokens } from "./use-attachments";

/** Whether the message fits, and if not, which PDF could be cut to how many pages. */
export function budgetCheck(att: AttachmentsController, model: UiModel | undefined, textChars: number) {
  const ready = att.items.filter((it) => it.result);
  const tokens = ready.reduce((sum, it) => sum + uploadTokens(it.result!, it.pageLimit), 0) + Math.ceil(textChars / 3);
  const budget = model?.inputBudget ?? Infinity;
  if (tokens <= budget) return { fits: true as const, tokens, budget };
  const pdfs = ready.filter((it) => it.result!.kind === "pdf" && (it.result!.pages ?? 0) > 1);
  const biggest = pdfs.sort((a, b) => uploadTokens(b.result!, b.pageLimit) - uploadTokens(a.result!, a.pageLimit))[0];
  let pages: number | null = null;
  if (biggest) {
    const f = biggest.result!;
    const perPage = uploadTokens(f, null) / (f.pages ?? 1);
    const room = budget - (tokens - uploadTokens(f, biggest.pageLimit));
    pages = Math.floor(room / Math.max(1, perPage));
    if (pages < 1) pages = null;
  }
  return { fits: false as const, tokens, budget, cut: biggest && pages ? { key: biggest.key, name: biggest.name, pages, of: biggest.result!.pages ?? 0 } : null };
}

export function AttachmentNotices({ att, model, textChars }: { att: AttachmentsController; model: UiModel | undefined; textChars: number }) {
  const images = att.items.some((it) => (it.result?.kind ?? (it.previewUrl ? "image" : null)) === "image");
  const check = budgetCheck(att, model, textChars);
  return (
    <>
      {att.error ? (
        <div role="alert" className="mb-2 flex items-start gap-2 rounded-2xl border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
          <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span className="flex-1">
            {att.error} <span className="text-xs opacity-80">({limitsText(att.limits)}.)</span>
          </span>
          <button type="button" onClick={att.dismissError} className="text-xs font-medium underline">
            Dismiss
          </button>
        </div>
      ) : null}
      {images && model && !model.vision ? (
        <p role="status" className="mb-2 flex items-start gap-2 text-sm text-muted-foreground">
          <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
          {model.label} can’t see images, so images won’t be sent to it. Pick a model that can, or send without them.
        </p>
      ) : null}
      {!check.fits ? (
        <div role="status" className="mb-2 rounded-2xl border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <p>
            This message is about {formatCount(check.tokens)} tokens; {model?.label ?? "this model"} can take about {formatCount(check.budget)}.
            {check.cut ? "" : " Remove an attachment or shorten the message."}
          </p>
          {check.cut ? (
            <button
              type="button"
              onClick={() => att.setPageLimit(check.cut!.key, check.cut!.pages)}
              className="mt-1.5 rounded-full bg-primary px-3 py-1 text-xs font-medium text-primary-foreground"
            >
              Send the first {formatCount(check.cut.pages)} of {formatCount(check.cut.of)} pages of “{check.cut.name}”
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
