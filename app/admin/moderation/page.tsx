import type { Metadata } from "next";
import Link from "next/link";
import { clsx } from "clsx";
import { listModerationEventsForReview, type ModerationQueueItem } from "@/db/queries/moderation";
import { moderationReviewStatuses, type ModerationReviewStatus } from "@/db/schema";
import { requireAdminUser } from "@/lib/auth/current-user";
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
    <div className="min-h-dvh bg-subtle">
      <header className="mx-auto flex h-14 w-full max-w-4xl items-center gap-2 px-4">
        <Link href="/" className="rounded-lg px-2.5 py-1.5 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-foreground">
          Back to chat
        </Link>
      </header>
      <main className="mx-auto w-full max-w-4xl space-y-5 px-4 pb-16 pt-2">
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
                <EventCard item={item} />
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
      </main>
    </div>
  );
}

function EventCard({ item }: { item: ModerationQueueItem }) {
  const scores = Object.entries(item.categories ?? {}).sort((a, b) => b[1] - a[1]);
  const label = `${item.direction === "input" ? "Input" : "Output"} ${item.action}, ${item.createdAt.toISOString()}`;
  return (
    <article aria-label={label} className="rounded-xl border border-border bg-background p-4 text-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span
          className={clsx(
            "rounded-md px-2 py-0.5 text-xs font-semibold uppercase",
            item.action === "blocked" ? "bg-danger-bg text-danger" : "bg-accent text-foreground",
          )}
        >
          {item.direction} · {item.action}
        </span>
        <time dateTime={item.createdAt.toISOString()} className="text-muted-foreground">
          {item.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
        </time>
        <span className="text-muted-foreground">{item.userEmail ?? "guest"}</span>
        {item.model ? <span className="text-muted-foreground">{item.model}</span> : null}
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
        {scores.map(([category, score]) => (
          <div key={category} className="flex gap-1">
            <dt className="font-medium">{category}</dt>
            <dd className="tabular-nums text-muted-foreground">{score.toFixed(2)}</dd>
          </div>
        ))}
      </dl>
      {item.detail?.rules.length ? (
        <p className="mt-1 text-xs text-muted-foreground">
          Matched ({item.detail.source}): {[...new Set(item.detail.rules.map((r) => r.rule))].join(", ")}
        </p>
      ) : null}
      {/* Plain text on purpose: flagged text is never rendered as markdown or HTML. */}
      <pre className="mt-3 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded-lg bg-subtle p-3 font-sans text-sm">{item.content ?? ""}</pre>
      <p className="mt-2 text-xs text-muted-foreground">
        Conversation {item.conversationId ?? "—"}
        {item.messageId ? ` · message ${item.messageId}` : ""}
      </p>
      {item.reviewStatus === "pending" ? (
        <form action={reviewModerationAction} className="mt-3 flex gap-2">
          <input type="hidden" name="id" value={item.id} />
          <button
            type="submit"
            name="decision"
            value="confirmed"
            className="rounded-lg bg-foreground px-3 py-1.5 text-sm font-medium text-background hover:opacity-90"
          >
            Confirm
          </button>
          <button
            type="submit"
            name="decision"
            value="dismissed"
            className="rounded-lg border border-border px-3 py-1.5 text-sm font-medium hover:bg-accent"
          >
            Dismiss
          </button>
        </form>
      ) : null}
    </article>
  );
}
