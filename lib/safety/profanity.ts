// obscenity's maintained English list (profanity, slurs, sex words), run only where it can match.
// Its RegExpMatcher costs ~0.5 ms per 2,000 characters (every term is tried at every position,
// through four transformers), which alone would spend the input check's budget. So a prefilter first:
// every literal spelling of its terms (optional parts expanded) goes into our Aho–Corasick automaton
// over normalized symbols (leetspeak, look-alikes and inner punctuation folded, as obscenity's
// transformers do), one pass over the text; obscenity then confirms, with its whitelist and word
// boundaries, only in short windows around the prefilter's hits. Known loss: stretched spellings
// ("fuuuck", which obscenity's collapse-duplicates transformer folds) are not prefiltered.
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { buildAutomaton, scanText, type Automaton } from "./automaton";
import { symbolsOfPhrase } from "./normalize";

interface Node {
  kind: number;
  chars?: number[];
  childNode?: Node;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

/** Every literal a pattern can spell: kind 2 = literal chars, kind 0 = optional child, kind 1 = wildcard. */
function spellings(nodes: Node[]): string[] {
  let out = [""];
  for (const n of nodes) {
    if (n.kind === 2 && n.chars) {
      const s = String.fromCharCode(...n.chars);
      out = out.map((o) => o + s);
    } else if (n.kind === 0 && n.childNode) {
      const inner = spellings([n.childNode]);
      out = out.flatMap((o) => [o, ...inner.map((i) => o + i)]);
    } else if (n.kind === 1) {
      out = out.flatMap((o) => [...ALPHABET].map((c) => o + c)); // a wildcard: any letter ("f?ck")
    } else return [];
  }
  return out;
}

interface Tables {
  prefilter: Automaton;
  matcher: RegExpMatcher;
}

let tables: Tables | null = null;

/**
 * Anatomy and medical words of obscenity's list: classify.ts weighs them at 0.15 (they cannot flag a
 * message alone) and they are everyday medical language, so they open no matcher window by
 * themselves; a window opened for another word still reports them.
 */
const NOT_PREFILTERED = new Set(["anal", "anus", "penis", "penises", "vagina", "vaginas", "semen", "orgasm", "orgasms", "sex", "boob", "boobs", "tit", "tits", "scat"]);

function load(): Tables {
  if (tables) return tables;
  const built = englishDataset.build();
  // Word boundaries the term requires become separators in the prefilter ("ass" must not fire inside "class").
  const literals = new Set<string>();
  for (const t of built.blacklistedTerms) {
    const p = t.pattern as unknown as { nodes: Node[]; requireWordBoundaryAtStart: boolean; requireWordBoundaryAtEnd: boolean };
    for (const s of spellings(p.nodes)) {
      const clean = s.toLowerCase().replace(/[^a-z0-9]/g, "");
      if (clean.length >= 2 && !NOT_PREFILTERED.has(clean)) literals.add(`${p.requireWordBoundaryAtStart ? " " : ""}${clean}${p.requireWordBoundaryAtEnd ? " " : ""}`);
    }
  }
  return (tables = {
    prefilter: buildAutomaton([...literals].map((l) => symbolsOfPhrase(l))),
    matcher: new RegExpMatcher({ ...built, ...englishRecommendedTransformers }),
  });
}

// Enough for the matcher to see the whole word and its neighbours (windows are widened to whole words).
const WINDOW = 20;

/** The original words obscenity finds, e.g. "fuck", "nigger". */
export function profaneWords(text: string): Set<string> {
  const t = load();
  const words = new Set<string>();
  const hits = scanText(t.prefilter, text);
  if (!hits.length) return words;
  // Windows around each hit, merged, cut at whitespace so words stay whole.
  let window = "";
  let until = -1;
  for (const h of hits) {
    if (h.end <= until) continue;
    let s = Math.max(0, h.end - WINDOW, until + 1);
    while (s > 0 && s > h.end - 2 * WINDOW && !/\s/.test(text[s - 1])) s--;
    let e = Math.min(text.length, h.end + WINDOW);
    while (e < text.length && e < h.end + 2 * WINDOW && !/\s/.test(text[e])) e++;
    window += `${text.slice(s, e)}\n`;
    until = e;
  }
  for (const m of t.matcher.getAllMatches(window)) {
    words.add(englishDataset.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord ?? "profanity");
  }
  return words;
}
