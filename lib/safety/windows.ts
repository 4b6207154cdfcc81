// Bounds the text the NLP layer reads per check, without opening a bypass by padding. The
// (deobfuscated) text is cut into sentences (long ones into overlapping pieces), repeats are dropped,
// and only sentences that mention a harmful act, target or jailbreak word go to wink-nlp (most
// benign text costs no NLP at all): request-like ones first, then the rest, taken from the
// head and the tail alternately, up to NLP_BUDGET_CHARS. A harmful request after 100 KB of filler is
// one kept sentence. If request-like sentences alone overflow the budget, `overflow` says so and the
// caller refuses the input rather than pass what it could not read. Linear: one split, one regex per
// piece, one join.
import { buildAutomaton, scanText, type Automaton } from "./automaton";
import * as L from "./lexicon";
import { symbolsOfPhrase } from "./normalize";

export const NLP_BUDGET_CHARS = 12_000;
const PIECE = 400;
const OVERLAP = 120;

// Word starts that can matter to compose.ts or jailbreak.ts: every lexicon entry (as a prefix, so
// inflections match: "stab" → "stabbing") plus the irregular forms and frame-free cues. One
// Aho–Corasick pass over the text marks the sentences worth reading.
// Multi-word cues are joined with "_".
const EXTRA = `stole shot slit dead died dying suicid overdos pills alive myself my_life end_it better_off explos
  ignore disregard forget override bypass pretend mode filter restrict instruc grandm granny translat traduc ignora ignorez
  polic rules guideline uncensor unfilter jailbr anything_now dox address phone_number real_name lives sleeps insult humiliat
  bully harass threat regret know_where coming_for watch_your_back slur racist propaganda manifesto have_sex hooking dirty
  pretending impersonat posing spoof password login credential into hitman recipe homemade diy rid take_out disappear fake forged passport brute lock irs tax
  jump bridge note reason swallow goodbye bound amoral unethical evil free broken_free stay_in_character
  developer god sudo unlocked enable activate fabricar hacer construir fabriquer faire bauen herstellen costruire preparar
  olvida oublie vergiss dimentica ignoriere anweisungen sell deal smuggle weed invoice receipt wake_up rope use_it
  end_everything`;

let trigger: Automaton | null = null;

function triggers(): Automaton {
  if (trigger) return trigger;
  const words = new Set<string>(EXTRA.trim().split(/\s+/).map((w) => w.replace(/_/g, " ")));
  for (const set of [L.HARM_ACTS, L.WEAPONS, L.DRUGS, L.MALWARE, L.THEFT_ACTS, L.HACK_ACTS, L.SEXUAL_CUES, L.GROUPS, L.DEHUMANIZING, L.ELIMINATE, L.INSULTS, L.SELF_HARM_ACTS, L.MINOR_CUES]) {
    for (const w of set) words.add(w);
  }
  const phrases = [...words].map((w) => w.replace(/[^a-z0-9 ]/g, "")).filter((w) => w.length >= 2);
  return (trigger = buildAutomaton(phrases.map((p) => symbolsOfPhrase(` ${p}`))));
}

const REQUESTY = /\b(?:how|way|steps?|instructions?|recipe|tell me|show me|give me|help me|write|make|create|can you|could you|please|where can|which|what|i will|i'll|i'm going|i want|you are|you're|ignore|disregard|pretend|act as)\b/;

/**
 * The pieces of a text that mention a trigger word, repeats dropped. Used for the middle of a very
 * long input (classify.ts reads its head and tail whole): a cheap automaton pass finds what to read.
 */
export function triggerPieces(text: string): string[] {
  const hits = scanText(triggers(), text).map((h) => h.end);
  const out: string[] = [];
  const seen = new Set<string>();
  let k = 0;
  for (const { at, text: p } of pieces(text)) {
    while (k < hits.length && hits[k] < at) k++;
    if (k >= hits.length) break;
    if (hits[k] >= at + p.length + 1 || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out;
}

export interface NlpWindow {
  text: string;
  /** Request-like sentences that did not fit the budget (0 = everything relevant was read). */
  overflow: number;
}

/** Sentences (long ones cut into overlapping pieces) with their start offsets. */
function pieces(text: string): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  let at = 0;
  for (const s of text.split(/(?<=[.!?;])\s+/)) {
    at = text.indexOf(s, at);
    if (s.length <= PIECE) out.push({ at, text: s });
    else for (let i = 0; i < s.length; i += PIECE - OVERLAP) out.push({ at: at + i, text: s.slice(i, i + PIECE) });
    at += s.length;
  }
  return out;
}

export function nlpWindow(text: string): NlpWindow {
  const seen = new Set<string>();
  const requesty: string[] = [];
  const other: string[] = [];
  const hits = scanText(triggers(), text).map((h) => h.end);
  if (!hits.length) return { text: "", overflow: 0 };
  let k = 0;
  for (const { at, text: p } of pieces(text)) {
    while (k < hits.length && hits[k] < at) k++;
    // A trigger ends inside this piece (hits are in text order, pieces too).
    if (k >= hits.length || hits[k] >= at + p.length + 1 || seen.has(p)) continue;
    seen.add(p);
    (REQUESTY.test(p) ? requesty : other).push(p);
  }
  const kept: string[] = [];
  let used = 0;
  let overflow = 0;
  const take = (list: string[], counts: boolean) => {
    // Head and tail alternately: the first, the last, the second, the second to last, …
    for (let lo = 0, hi = list.length - 1, k = 0; lo <= hi; k++) {
      const p = k % 2 === 0 ? list[lo++] : list[hi--];
      if (used + p.length + 1 > NLP_BUDGET_CHARS) {
        if (counts) overflow++;
        continue;
      }
      kept.push(p);
      used += p.length + 1;
    }
  };
  take(requesty, true);
  take(other, false);
  return { text: kept.join("\n"), overflow };
}
