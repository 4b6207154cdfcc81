import { clsx } from "clsx";
import type { ButtonHTMLAttributes } from "react";

/**
 * A square icon-only button; `label` is its accessible name and tooltip. Pass only non-conflicting
 * classes (responsive visibility such as `md:hidden` / `max-md:hidden`, spacing): there is no class
 * merging, so a second display or size utility would fight the base ones.
 */
export function IconButton({
  label,
  size = "md",
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { label: string; size?: "sm" | "md" }) {
  return (
    <button
      type={type}
      aria-label={label}
      title={label}
      className={clsx(
        "inline-flex shrink-0 items-center justify-center rounded-lg text-muted-foreground transition-colors hover:bg-accent hover:text-foreground disabled:pointer-events-none disabled:opacity-40",
        size === "sm" ? "size-8" : "size-9",
        className,
      )}
      {...props}
    />
  );
}
