"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/pools", label: "Pools" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/experiments", label: "Experiments" },
  { href: "/admin/moderation", label: "Moderation" },
];

/** The admin console's sections; the current one is marked for assistive technology too. */
export function AdminNav() {
  const path = usePathname();
  return (
    <nav aria-label="Admin" className="flex flex-wrap gap-1">
      {LINKS.map(({ href, label }) => {
        const current = href === "/admin" ? path === "/admin" : path.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            className={clsx(
              "rounded-lg px-3 py-1.5 text-sm font-medium",
              current ? "bg-foreground text-background" : "text-muted-foreground hover:bg-accent hover:text-foreground",
            )}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
