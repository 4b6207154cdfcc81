"use client";

import { ChevronDown } from "lucide-react";
import { useId, useLayoutEffect, useRef } from "react";
import type { UiModel } from "@/lib/models/catalog";

/** A native select (role combobox, name "Model"); simulated models already say so in their label. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: UiModel[];
  value: string;
  onChange: (id: string) => void;
}) {
  const descriptionId = useId();
  const ref = useRef<HTMLSelectElement>(null);
  const current = models.find((m) => m.id === value);

  // A model picked in the server-rendered select before hydration is in the DOM but not in state.
  useLayoutEffect(() => {
    const picked = ref.current?.value;
    if (picked && picked !== value) onChange(picked);
    // Once, after hydration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="relative min-w-0">
      <select
        ref={ref}
        aria-label="Model"
        aria-describedby={current?.description ? descriptionId : undefined}
        title={current?.description || undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="field-sizing-content max-w-full cursor-pointer appearance-none truncate rounded-lg bg-transparent py-1.5 pl-2.5 pr-8 text-base font-semibold outline-none hover:bg-accent focus-visible:bg-accent sm:text-[17px]"
      >
        {models.map((m) => (
          <option key={m.id} value={m.id} title={m.description || undefined} className="bg-background text-foreground">
            {m.label}
          </option>
        ))}
      </select>
      <ChevronDown
        className="pointer-events-none absolute right-2 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      {current?.description ? (
        <span id={descriptionId} className="sr-only">
          {current.description}
        </span>
      ) : null}
    </div>
  );
}
