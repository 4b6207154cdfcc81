import type { ToolDisplay } from "./labels";

type SearchDisplay = Extract<ToolDisplay, { kind: "web_search" }>;
type PagesDisplay = Extract<ToolDisplay, { kind: "fetch_url" }>;

/** Only http(s) links are offered (a URL from a page or a provider is untrusted). */
function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function PageLink({ title, url }: { title: string; url: string }) {
  const href = safeHref(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="underline underline-offset-2">
      {title || url}
    </a>
  ) : (
    <span>{title || url}</span>
  );
}

/** "Searched the web": the query and the results (titles linked). */
export function WebResults({ display }: { display: SearchDisplay }) {
  return (
    <div className="flex flex-col gap-2">
      <p className="text-muted-foreground">Query: {display.query}</p>
      <ul className="flex flex-col gap-1.5">
        {display.results.map((r) => (
          <li key={r.url}>
            <PageLink title={r.title} url={r.url} />
            {r.snippet ? <p className="text-xs text-muted-foreground">{r.snippet}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Read …": the pages actually fetched (the only ones a reply may cite), linked. */
export function WebPages({ display }: { display: PagesDisplay }) {
  return (
    <ul aria-label="Pages read" className="flex flex-col gap-1">
      {display.pages.map((p) => (
        <li key={p.url}>
          <PageLink title={p.title} url={p.url} />
        </li>
      ))}
    </ul>
  );
}
