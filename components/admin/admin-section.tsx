// A titled part of an admin page: a card (or, plain, a bare group) named by its heading, with an
// optional line under the title and controls or a status beside it.
import { clsx } from "clsx";
import type { ReactNode } from "react";

interface AdminSectionProps {
  /** The heading's id (the section's accessible name comes from it). */
  id: string;
  title: ReactNode;
  description?: ReactNode;
  aside?: ReactNode;
  /** No card around it (for a group of cards such as the charts). */
  plain?: boolean;
  children: ReactNode;
}

export function AdminSection({ id, title, description, aside, plain, children }: AdminSectionProps) {
  return (
    <section aria-labelledby={id} className={plain ? "space-y-3" : "rounded-xl border border-border bg-background p-4"}>
      <div className={clsx("flex flex-wrap items-baseline justify-between gap-2", !plain && "mb-2")}>
        <div>
          <h2 id={id} className="text-lg font-semibold">
            {title}
          </h2>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}
