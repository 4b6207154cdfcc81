// Text mode: a readable, deterministic markdown reply (same seed → same reply). Paragraphs built from
// stock sentences about the topic of the last user message, sometimes a bulleted list, and a fenced
// code block when the user asks for code. Not meant to be clever, only to look and stream like a reply.

/** Word-ish pieces: " world", ",", "\n\n", "```" — concatenating them gives back the text exactly. */
const PIECE = / ?[A-Za-z0-9_']+| ?[!-&(-/:-@[-^`{-~]+|\s+|[^]/gu;

export function tokenize(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/** mulberry32: tiny, fast, good enough for picking sentences. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, for a default seed derived from the prompt. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const OPENERS = [
  "Here's a quick overview of {t}.",
  "Good question about {t}.",
  "Let's walk through {t} step by step.",
  "Sure, here is how I would think about {t}.",
  "There are a few ways to approach {t}.",
];
const SENTENCES = [
  "The key idea is to start with a clear goal and build from there.",
  "In practice, small and well-tested steps work better than one big change.",
  "It helps to write down your assumptions first, because they shape every later decision.",
  "Most of the difficulty comes from edge cases rather than the main path.",
  "A good rule of thumb is to measure before you optimize.",
  "Keep the simplest version working, then refine it.",
  "Trade-offs are unavoidable, so decide up front what matters most to you.",
  "Concrete examples make the abstract parts much easier to follow.",
  "If a result looks surprising, check the inputs before the logic.",
  "A short note on why each choice was made will save time later.",
  "Consistency usually matters more than finding the perfect option.",
  "When in doubt, compare two options side by side on a small sample.",
  "Feedback from someone who uses the result is worth more than another review.",
];
const LIST_INTROS = ["A few things to keep in mind:", "Some practical tips:", "The main points are:"];
const ITEMS = [
  "**Start small**: get a minimal version working first.",
  "**Be specific**: vague goals lead to vague results.",
  "**Check your sources**: verify facts before relying on them.",
  "**Iterate**: review, adjust and try again.",
  "**Write it down**: notes make the next step easier.",
  "**Ask for feedback** early rather than late.",
  "**Automate the boring parts** once they are stable.",
];
const CLOSERS = [
  "Let me know if you'd like more detail on any part of {t}.",
  "I hope this helps!",
  "Happy to go deeper if you share more about your situation.",
];

const CODE: Record<string, string> = {
  python:
    'def summarize(items):\n    """Return a short summary of the items."""\n    total = sum(items)\n    return f"{len(items)} items, total {total}"\n\n\nprint(summarize([3, 5, 8]))',
  typescript:
    "export function summarize(items: number[]): string {\n  const total = items.reduce((sum, x) => sum + x, 0);\n  return `${items.length} items, total ${total}`;\n}\n\nconsole.log(summarize([3, 5, 8]));",
  javascript:
    "function summarize(items) {\n  const total = items.reduce((sum, x) => sum + x, 0);\n  return `${items.length} items, total ${total}`;\n}\n\nconsole.log(summarize([3, 5, 8]));",
  rust: 'fn summarize(items: &[i64]) -> String {\n    let total: i64 = items.iter().sum();\n    format!("{} items, total {}", items.len(), total)\n}\n\nfn main() {\n    println!("{}", summarize(&[3, 5, 8]));\n}',
  go: 'package main\n\nimport "fmt"\n\nfunc summarize(items []int) string {\n\ttotal := 0\n\tfor _, x := range items {\n\t\ttotal += x\n\t}\n\treturn fmt.Sprintf("%d items, total %d", len(items), total)\n}\n\nfunc main() {\n\tfmt.Println(summarize([]int{3, 5, 8}))\n}',
  bash: '#!/usr/bin/env bash\nset -euo pipefail\n\ntotal=0\nfor x in 3 5 8; do\n  total=$((total + x))\ndone\necho "3 items, total $total"',
  sql: "SELECT count(*) AS items, sum(amount) AS total\nFROM orders\nWHERE created_at >= now() - interval '7 days';",
};
const LANGUAGES: [RegExp, string][] = [
  [/\b(typescript|ts|tsx)\b/i, "typescript"],
  [/\b(javascript|js|node(\.js)?)\b/i, "javascript"],
  [/\brust\b/i, "rust"],
  [/\b(golang|go)\b/i, "go"],
  [/\b(bash|shell|sh)\b/i, "bash"],
  [/\bsql\b/i, "sql"],
  [/\bpython\b/i, "python"],
];
const WANTS_CODE = /\b(code|function|script|program|snippet|implement|class|regex|query)\b/i;
const STOPWORDS = new Set(
  "a an the i me my you your we is are was be to of in on for and or how what why can could would should do does please tell about explain write give me with it this that".split(
    " ",
  ),
);

/** A short topic phrase from the user's words, e.g. "sourdough bread starter". */
function topicOf(userText: string): string {
  const words = userText
    .replace(/\[\[sim:[^\]]*\]\]/g, " ")
    .toLowerCase()
    .match(/[a-z0-9][a-z0-9'-]*/g);
  const picked = (words ?? []).filter((w) => !STOPWORDS.has(w)).slice(0, 4);
  return picked.length ? picked.join(" ") : "your question";
}

/** Builds a reply of roughly `targetTokens` pieces (always a complete, well-formed markdown text). */
export function generateText(userText: string, rand: () => number, targetTokens: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const shuffled = <T>(list: T[]) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const sentences = shuffled(SENTENCES);
  let drawn = 0;
  const nextSentence = () => sentences[drawn++ % sentences.length]; // no repeats until the deck runs out
  const topic = topicOf(userText);
  const fill = (s: string) => s.replace("{t}", `*${topic}*`);
  const blocks: string[] = [];
  let first = fill(pick(OPENERS));
  for (let n = 1 + Math.floor(rand() * 2); n > 0; n--) first += " " + nextSentence();
  blocks.push(first);
  if (WANTS_CODE.test(userText)) {
    const lang = LANGUAGES.find(([re]) => re.test(userText))?.[1] ?? "python";
    blocks.push(`Here is a small example in ${lang}:`, "```" + lang + "\n" + CODE[lang] + "\n```");
  } else if (rand() < 0.5) {
    const items = shuffled(ITEMS).slice(0, 3 + Math.floor(rand() * 3));
    blocks.push(pick(LIST_INTROS) + "\n\n" + items.map((i) => `- ${i}`).join("\n"));
  }
  const closer = rand() < 0.6 ? fill(pick(CLOSERS)) : "";
  let used = tokenize(blocks.join("\n\n")).length + tokenize(closer).length;
  let paragraph = "";
  while (used < targetTokens || !paragraph) {
    const s = nextSentence();
    paragraph += (paragraph ? " " : "") + s;
    used += tokenize(s).length + 1;
  }
  blocks.push(paragraph);
  if (closer) blocks.push(closer);
  return blocks.join("\n\n");
}
