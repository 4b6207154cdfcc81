// One flagged input or output in the moderation review queue: what happened, the scores, what
// matched, the text (plain, never rendered as markdown) and the confirm / dismiss form.
import { clsx } from "clsx";
import type { ModerationQueueItem } from "@/db/queries/moderation";

export function ModerationEventCard({ item, review }: { item: ModerationQueueItem; review: (form: FormData) => Promise<void> }) {
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
        <form action={review} className="mt-3 flex gap-2">
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
