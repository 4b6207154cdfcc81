import { clsx } from "clsx";

/** The product mark: a speech bubble on a rounded square (same drawing as public/favicon.svg). */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={clsx("shrink-0", className)}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M9 11.5A3.5 3.5 0 0 1 12.5 8h7A3.5 3.5 0 0 1 23 11.5v5a3.5 3.5 0 0 1-3.5 3.5H15l-4.2 3.4c-.6.5-1.3 0-1.3-.7V20.1A3.5 3.5 0 0 1 9 16.5z"
        className="fill-primary-foreground"
      />
    </svg>
  );
}

export const PRODUCT_NAME = "Chatgate";
