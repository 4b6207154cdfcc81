import type { Metadata } from "next";
import Link from "next/link";
import { clsx } from "clsx";
import { listModerationEventsForReview } from "@/db/queries/moderation";
import { moderationReviewStatuses, type ModerationReviewStatus } from "@/db/schema";
import { requireAdminUser } from "@/lib/auth/current-user";
import { ModerationEventCard } from "@/components/admin/moderation-event-card";
import { reviewModerationAction } from "./actions";

export const metadata: Metadata = { title: "Moderation review" };

const TABS: Record<ModerationReviewStatus, string> = { pending: "Pending", confirmed: "Confirmed", dismissed: "Dismissed" };

function parseCursor(raw: string | undefined): { createdAt: Date; id: string } | undefined {
  const m = raw ? /^(\d{4}-\d\d-\d\dT[\d:.]+Z)_([0-9a-f-]{36})$/.exec(raw) : null;
  return m ? { createdAt: new Date(m[1]), id: m[2] } : undefined;
}

// The safety layer's review queue (admins only; anyone else gets a 404): flagged inputs and outputs,
// newest first, with what matched and the flagged text, to confirm or dismiss.
export default async function ModerationPage({ searchParams }: { searchParams: Promise<{ status?: string; before?: string }> }) {
  await requireAdminUser();
  const sp = await searchParams;
  const status = (moderationReviewStatuses as readonly string[]).includes(sp.status ?? "") ? (sp.status as ModerationReviewStatus) : "pending";
  const items = await listModerationEventsForReview({ status, limit: 50, before: parseCursor(sp.before) });
  const last = items[items.length - 1];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Moderation review</h1>
      <nav aria-label="Review status" className="flex gap-1">
        {moderationReviewStatuses.map((s) => (
          <Link
            key={s}
            href={`/admin/moderation?status=${s}`}
            aria-current={s === status ? "page" : undefined}
            className={clsx(
              "rounded-lg px-3 py-1.5 text-sm font-medium",
              s === status ? "bg-foreground text-background" : "text-muted-foreground hover:bg-accent",
            )}
          >
            {TABS[s]}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nothing {status === "pending" ? "waiting for review" : TABS[status].toLowerCase()}.</p>
      ) : (
        <ul className="space-y-3" aria-label="Moderation events">
          {items.map((item) => (
            <li key={item.id}>
              <ModerationEventCard item={item} review={reviewModerationAction} />
            </li>
          ))}
        </ul>
      )}
      {items.length === 50 && last ? (
        <Link
          href={`/admin/moderation?status=${status}&before=${last.createdAt.toISOString()}_${last.id}`}
          className="inline-block rounded-lg border border-border bg-background px-3 py-1.5 text-sm font-medium hover:bg-accent"
        >
          Older events
        </Link>
      ) : null}
    </div>
  );
}
