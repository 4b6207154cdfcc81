"use client";

import { ChevronDown, Wrench } from "lucide-react";
import { useId, useLayoutEffect, useRef } from "react";
import type { UiModel } from "@/lib/models/catalog";

/**
 * A native select (role combobox, name "Model"); simulated models already say so in their label.
 * Models that can use tools (catalog flag) say so in their option's description and beside the select.
 */
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
  const describe = (m: UiModel) => [m.description, m.tools ? "Can use tools." : ""].filter(Boolean).join(" ");

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
        aria-describedby={current && describe(current) ? descriptionId : undefined}
        title={current ? describe(current) || undefined : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="field-sizing-content max-w-full cursor-pointer appearance-none truncate rounded-lg bg-transparent py-1.5 pl-2.5 pr-8 text-base font-semibold outline-none hover:bg-accent focus-visible:bg-accent sm:text-[17px]"
      >
        {models.map((m) => (
          <option key={m.id} value={m.id} title={describe(m) || undefined} data-tools={m.tools || undefined} className="bg-background text-foreground">
            {m.label}
          </option>
        ))}
      </select>
      <ChevronDown
        className="pointer-events-none absolute right-2 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      {current && describe(current) ? (
        <span id={descriptionId} className="sr-only">
          {describe(current)}
        </span>
      ) : null}
      {current?.tools ? (
        <span title="This model can use tools" className="pointer-events-none absolute -right-6 top-1/2 -translate-y-1/2 text-muted-foreground">
          <Wrench className="size-3.5" aria-hidden />
        </span>
      ) : null}
    </div>
  );
}
