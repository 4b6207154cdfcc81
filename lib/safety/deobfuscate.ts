// Undoes the obfuscations people use to slip past a filter, so the NLP layer reads plain English:
// look-alike letters and accents (normalize.ts), zero-width characters, leetspeak and symbols inside
// words ("synth3size m3th", "k!ll mys3lf", "p0is0n s0me0ne"), dotted or hyphenated letters
// ("b.o.m.b", "k-i-l-l"), letter spacing ("h o w   t o"), chat spellings ("dont", "im", "u", "kms"),
// stretched letters ("kiiiill", "fuuuck": runs of three or more collapsed to the lexicon word they
// spell, else to one letter) and misspellings of the lexicon's longer words (fuzzy.ts). One pass over
// the words: linear in the text.
import { cuesOf } from "./cues";
import { correct, MAX_WORDS } from "./fuzzy";
import { foldChar } from "./normalize";

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "!": "i", "|": "l", "€": "e" };
const SHORT_WORDS: Record<string, string> = {
  dont: "don't", cant: "can't", wont: "won't", doesnt: "doesn't", didnt: "didn't", isnt: "isn't", arent: "aren't", wasnt: "wasn't",
  im: "i'm", r: "are", wht: "what", wat: "what", hw: "how", hwo: "how", whats: "what's", hows: "how's", wheres: "where's", whos: "who's", thats: "that's", theres: "there's", ive: "i've", youre: "you're", u: "you", ur: "your", gonna: "going to", wanna: "want to", pls: "please", plz: "please",
  kys: "kill yourself", idk: "i don't know", rn: "right now", tmrw: "tomorrow", "2nite": "tonight", w: "with",
  gona: "going to", gonnna: "going to", wana: "want to", ima: "i'm going to", imma: "i'm going to", tryna: "trying to", "2day": "today",
  thru: "through", cuz: "because", coz: "because", bc: "because", ppl: "people", sum1: "someone", some1: "someone", any1: "anyone",
};
/** A Map, not the object: "constructor" or "toString" in a text must not read the prototype. */
const SHORT = new Map(Object.entries(SHORT_WORDS));
const STRETCH = /([a-z])\1\1+/g;
const PROFANE = /^(?:fuck|shit|bitch|cunt|dick|ass|damn|whore|slut|fag|piss|cock)/;

/** "kiiiill" → "kill", "diiie" → "die", "fuuuck" → "fuck": the spelling the lexicon knows, two letters, else one. */
function unstretch(word: string): string {
  const two = word.replace(STRETCH, "$1$1");
  const one = word.replace(STRETCH, "$1");
  if (cuesOf(two)) return two;
  if (cuesOf(one) || PROFANE.test(one)) return one;
  return one;
}
const LETTER = /[a-z]/;

const LEET_CHARS = /[0-9@$!|€]/;
const LEET_WORD = /^[a-z0-9@$!|€']+$/;

/**
 * A word with leetspeak inside it: letters and leet symbols only, at least one of each ("m3th",
 * "k!ll", "3@$!3$t", "b0$$"), or symbols alone ("!$", "@"). Numbers ("2024", "10") stay numbers.
 */
function unleet(word: string): string {
  if (!LEET_CHARS.test(word)) return word;
  const m = /^(.*?)([!?.,;:]*)$/.exec(word)!;
  let core = m[1];
  let trail = m[2];
  if (!core && trail.includes("!")) return word; // "!!!"
  if (core === "" || !LEET_WORD.test(core)) return word;
  const letters = LETTER.test(core);
  if (!letters && /[0-9]/.test(core)) return word; // a number
  // A trailing "!" after a leet word is still punctuation ("b0mb!"); one inside it is an "i" ("k!ll").
  core = core.replace(/[0-9@$!|€]/g, (c) => LEET[c] ?? c);
  if (trail.startsWith("!") && !letters) trail = trail.slice(1);
  // "w!f!": in a short word already written with "!" for "i", a final "!" is one too.
  if (trail === "!" && m[1].includes("!") && m[1].length <= 4) trail = "i";
  return core + trail;
}

/** "b.o.m.b", "k-i-l-l", "k*ll" → the letters alone, when every piece is one character. */
function unsplit(word: string): string {
  if (!/[.\-_*·]./.test(word)) return word;
  const trail = /[.!?,;:]$/.test(word) && word.length > 1 ? word.slice(-1) : "";
  const core = trail ? word.slice(0, -1) : word;
  const pieces = core.split(/[.\-_*·]/);
  // "g.i.r.l's", "d.o.e.s.n't": the last piece may carry a clitic.
  const lastPiece = pieces[pieces.length - 1];
  const clitic = /^[a-z](?:'[a-z]{1,2}|n't)$/.test(lastPiece);
  if (pieces.length >= 3 && pieces.every((p, i) => p.length === 1 || (clitic && i === pieces.length - 1))) return pieces.join("") + trail;
  if (/^[a-z]+\*[a-z]+$/.test(core)) return core.replace("*", "i") + trail; // "k*ll", "sh*t": the vowel most often starred
  return word;
}

/** Letter-spaced runs: single characters separated by one space inside a word, two or more between words. */
function joinRun(run: { ch: string; gap: number }[], out: string[], finish: (w: string) => string): void {
  if (run.length < 3) {
    for (const r of run) out.push(SHORT.get(r.ch) ?? (r.ch === "@" ? "a" : r.ch));
    return;
  }
  let word = "";
  for (const [i, r] of run.entries()) {
    if (i > 0 && r.gap >= 2) {
      out.push(finish(word));
      word = "";
    }
    word += LEET[r.ch] ?? r.ch;
  }
  out.push(finish(word));
}

export function deobfuscate(text: string): string {
  const out: string[] = [];
  let run: { ch: string; gap: number }[] = [];
  let last = 0;
  const stretched = /([a-zA-Z])\1\1/.test(text);
  let fuzzy = MAX_WORDS;
  let leety = 0;
  /** Stretched letters, chat spellings and misspellings, for a word already folded and un-leeted. */
  const finish = (bare: string, maybeStretched = true): string => {
    if (maybeStretched && /([a-z])\1\1/.test(bare)) bare = unstretch(bare);
    const short = SHORT.get(bare);
    if (short) return short;
    if (bare.length >= 5 && fuzzy > 0) {
      fuzzy--;
      return correct(bare) ?? bare;
    }
    return bare;
  };
  const flush = () => {
    if (run.length) joinRun(run, out, finish);
    run = [];
  };
  for (const m of text.matchAll(/\S+/g)) {
    const gap = m.index - last;
    last = m.index + m[0].length;
    let word = m[0];
    // Fast path: plain ASCII words need no folding, leetspeak or splitting (most of any text).
    const simple = /^[A-Za-z']+[.,!?;:]?$/.test(word);
    if (simple) word = word.toLowerCase();
    else if (word.length > 40 || /^[\d.,:;()+/-]{2,}$|^[^@\s]+@[^@\s]+\.[a-z]{2,}|:\/\//i.test(word)) {
      // A key, a URL, a hash, an email or a number is not an obfuscated word: lower-cased only.
      flush();
      out.push(word.toLowerCase());
      continue;
    } else {
      word = "";
      for (const ch of m[0]) word += foldChar(ch);
    }
    if (!word) continue;
    if (word.length === 1 && /[a-z0-9@$!']/.test(word) && !(word === "!" && gap === 0)) {
      run.push({ ch: word, gap });
      continue;
    }
    flush();
    if (!simple) {
      const plainWord = word;
      word = unleet(unsplit(word));
      if (word !== plainWord) leety++;
    }
    const bare = simple && !/[.,!?;:]$/.test(word) ? word : word.replace(/[!?.,;:]+$/, "");
    const tail = word.slice(bare.length);
    if (simple && !stretched && bare.length < 5 && !SHORT.has(bare)) out.push(word);
    else out.push(finish(bare, stretched || !simple) + tail);
  }
  flush();
  // "how 2 make", "mix 2 make": a lone "2" before a verb is "to".
  for (let i = 0; i + 1 < out.length; i++) if (out[i] === "2" && /^(?:make|kill|get|build|do|buy|cook|hurt|steal|hack|poison|stab|shoot|be|go|find|use|mix)$/.test(out[i + 1])) out[i] = "to";
  // In text written in leetspeak, a lone "4", "1" or "!" is a word too ("m4k3 4 f4t k1d cry", "w0uld ! n33d").
  if (leety >= 2) for (let i = 0; i < out.length; i++) if (out[i] === "4" || out[i] === "@") out[i] = "a";
  else if (out[i] === "1" || out[i] === "!") out[i] = "i";
  return out.join(" ");
}
