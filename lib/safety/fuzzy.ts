// Misspellings of the lexicon's longer, distinctive words ("posion", "murdur", "explosivs", "comit
// suicide"): one edit away (a letter dropped, added, changed or two swapped), found with a
// deletion-neighbourhood index (the SymSpell idea: a word and a target one edit apart share a
// one-deletion variant). Bounded: words of 5–16 letters, at most MAX_WORDS per check, each costing
// one lookup per letter. Real words one edit from a target ("prison", "heroine", "laughter",
// "termite") are never changed. Hand-written: the npm spell checkers load a whole dictionary (tens of
// MB) to correct everything, while this only needs to recognise a few dozen words.
import * as L from "./lexicon";

const TARGETS = `poison poisoning murder explosive explosives suicide methamphetamine cocaine heroin fentanyl strangle suffocate
  kidnap ransomware keylogger counterfeit launder commit overdose grenade detonator assassinate torture behead slaughter molotov
  thermite cyanide arsenic phishing malware trojan spyware botnet shoplift smuggle traffick synthesize synthesise amphetamine
  gunpowder firearm silencer untraceable myself yourself stabbing suicidal mustard chlorine anthrax napalm brother sister mother
  father husband girlfriend boyfriend neighbor neighbour roommate coworker daughter`.split(/\s+/);

/** Real words one edit away from a target. */
const REAL = new Set(`prison prisons poisons heroine heroines heroic strange stranger strangers wrangle strangles beheld laughter
  silence silences forearm forearms snuggle snuggles bonnet bonnets overdone overdoes termite termites comment commits committed
  trojans murders murdered murderer malwares suicides heron herons lander landers laundry brothel brothels bother bothers
  bothered rather lather farther gather mister sifter mothers fathers sisters brothers daughters husbands neighbors neighbours
  smother smothered smothering smothers other others`.split(/\s+/));

/** One edit apart (optimal string alignment): a letter dropped, added or changed, or two neighbours swapped. */
function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // a substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // a transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Every word the lexicon knows is spelled right already ("smother" is not "mother" misspelled). */
const KNOWN = new Set(
  [L.HARM_ACTS, L.WEAK_HARM_ACTS, L.PERSONS, L.RELATIONS, L.MAKE_ACTS, L.WEAPONS, L.DRUGS, L.PRESCRIPTION, L.MALWARE, L.THEFT_ACTS, L.HACK_ACTS, L.GROUPS, L.INSULTS].flatMap((s) => [...s]),
);

export const MAX_WORDS = 200;

let index: Map<string, string> | null = null;
let gate: Set<number> | null = null;

/** First two letters and length: a misspelling keeps its target's start (most do) and is one letter longer or shorter at most. */
const gateKey = (w: string, length = w.length) => (w.charCodeAt(0) * 128 + w.charCodeAt(1)) * 32 + length;

function build(): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of TARGETS) {
    m.set(t, t);
    for (let i = 0; i < t.length; i++) {
      const d = t.slice(0, i) + t.slice(i + 1);
      if (!m.has(d)) m.set(d, t);
    }
  }
  return m;
}

/** The target a word is one edit from, or null (also for the targets themselves and for real words). */
export function correct(word: string): string | null {
  if (word.length < 5 || word.length > 16) return null;
  gate ??= new Set(TARGETS.flatMap((t) => [t.length - 1, t.length, t.length + 1].map((n) => gateKey(t, n))));
  if (!gate.has(gateKey(word)) || REAL.has(word) || KNOWN.has(word) || !/^[a-z]+$/.test(word)) return null;
  const idx = (index ??= build());
  const direct = idx.get(word);
  if (direct === word) return null;
  if (direct && oneEdit(word, direct)) return direct;
  for (let i = 0; i < word.length; i++) {
    const t = idx.get(word.slice(0, i) + word.slice(i + 1));
    if (t && oneEdit(word, t)) return t;
  }
  return null;
}

/**
 * The plain text with misspelled lexicon words corrected, or null when nothing changed. `budget`
 * counts the words examined across calls of one check (`budget.left` goes down).
 */
export function correctText(text: string, budget: { left: number }): string | null {
  let changed = false;
  const words = text.split(" ");
  for (let i = 0; i < words.length && budget.left > 0; i++) {
    const w = words[i];
    if (w.length < 5) continue;
    budget.left--;
    const c = correct(w);
    if (c) {
      words[i] = c;
      changed = true;
    }
  }
  return changed ? words.join(" ") : null;
}
