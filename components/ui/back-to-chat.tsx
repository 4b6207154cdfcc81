import { ArrowLeft } from "lucide-react";
import Link from "next/link";

/** The "Back to chat" link at the top of the settings and admin pages. */
export function BackToChat() {
  return (
    <Link
      href="/"
      className="inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1.5 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-foreground"
    >
      <ArrowLeft className="size-4" aria-hidden />
      Back to chat
    </Link>
  );
}
