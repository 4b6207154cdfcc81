// One section of /settings: a card named by its heading (a region for assistive technology and the
// e2e specs: getByRole("region", { name })), with an optional line under the title.
import { type ReactNode, useId } from "react";

export function SettingsSection({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="rounded-2xl border border-border bg-background p-5 shadow-sm sm:p-6">
      <h2 id={headingId} className="text-lg font-semibold tracking-tight">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-muted-foreground">{description}</p> : null}
      {children}
    </section>
  );
}
