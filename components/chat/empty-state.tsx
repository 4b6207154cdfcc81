"use client";

import type { UiModel } from "@/lib/models/catalog";

const EXAMPLES = [
  { title: "Explain a concept", prompt: "Explain how a transformer language model works, in plain words." },
  { title: "Write some code", prompt: "Write a Python script that renames the photos in a folder by the date they were taken." },
  { title: "Draft an email", prompt: "Draft a short, polite email asking my manager for a one-week deadline extension." },
  { title: "Plan a trip", prompt: "Plan a relaxed three-day itinerary for Lisbon with good food stops." },
];

export function EmptyState({ model, onPick }: { model: UiModel | undefined; onPick: (prompt: string) => void }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">
      <div className="m-auto w-full max-w-3xl px-4 py-8 sm:px-6">
        <h1 className="text-center text-2xl font-semibold tracking-tight sm:text-3xl">How can I help you today?</h1>
        {model?.description ? (
          <p className="mx-auto mt-2 max-w-lg text-center text-sm text-muted-foreground">
            <span className="font-medium text-foreground/80">{model.label}</span> · {model.description}
          </p>
        ) : null}
        <ul className="mt-8 grid gap-2.5 sm:grid-cols-2">
          {EXAMPLES.map((e, i) => (
            // Two suggestions are enough on a phone; the composer stays in view.
            <li key={e.title} className={i >= 2 ? "max-sm:hidden" : undefined}>
              <button
                type="button"
                onClick={() => onPick(e.prompt)}
                className="h-full w-full rounded-2xl border border-border px-4 py-3 text-left transition-colors hover:bg-subtle dark:hover:bg-muted"
              >
                <span className="block text-sm font-medium">{e.title}</span>
                <span className="mt-0.5 line-clamp-2 block text-sm text-muted-foreground">{e.prompt}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
