import { HeartHandshake } from "lucide-react";

// Shown beside a reply whose user message showed self-harm intent (lib/safety/safe-completion.ts):
// the reply itself is written with a safety instruction; this puts help one glance away.
const LINES = [
  { where: "US", what: "Call or text 988 (Suicide & Crisis Lifeline)", href: "tel:988" },
  { where: "UK & Ireland", what: "Samaritans, 116 123", href: "tel:116123" },
  { where: "Elsewhere", what: "Find a helpline near you", href: "https://findahelpline.com" },
] as const;

export function CrisisResources() {
  return (
    <aside
      aria-label="Crisis resources"
      className="mb-3 rounded-xl border border-border bg-subtle px-3.5 py-3 text-sm leading-5"
    >
      <p className="flex items-start gap-2 font-medium">
        <HeartHandshake className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>If you’re thinking about suicide or hurting yourself, you don’t have to go through it alone.</span>
      </p>
      <ul className="mt-2 space-y-1 pl-6 text-muted-foreground">
        {LINES.map((l) => (
          <li key={l.where}>
            <span className="font-medium text-foreground">{l.where}:</span>{" "}
            <a className="underline underline-offset-2" href={l.href} target={l.href.startsWith("http") ? "_blank" : undefined} rel="noreferrer">
              {l.what}
            </a>
          </li>
        ))}
        <li>If you are in immediate danger, call your local emergency number.</li>
      </ul>
    </aside>
  );
}
