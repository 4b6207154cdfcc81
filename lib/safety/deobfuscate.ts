// Undoes the obfuscations people use to slip past a filter, so the NLP layer reads plain English:
// look-alike letters and accents (normalize.ts), zero-width characters, leetspeak and symbols inside
// words ("synth3size m3th", "k!ll mys3lf", "p0is0n s0me0ne"), dotted or hyphenated letters
// ("b.o.m.b", "k-i-l-l"), letter spacing ("h o w   t o"), and chat spellings ("dont", "im", "u").
// One pass over the words: linear in the text.
import { foldChar } from "./normalize";

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "!": "i", "|": "l", "€": "e" };
const SHORT: Record<string, string> = {
  dont: "don't", cant: "can't", wont: "won't", doesnt: "doesn't", didnt: "didn't", isnt: "isn't", arent: "aren't", wasnt: "wasn't",
  im: "i'm", ive: "i've", youre: "you're", u: "you", ur: "your", gonna: "going to", wanna: "want to", pls: "please", plz: "please",
  kys: "kill yourself", idk: "i don't know", rn: "right now", tmrw: "tomorrow", "2nite": "tonight", w: "with",
};
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
  return core + trail;
}

/** "b.o.m.b", "k-i-l-l", "k*ll" → the letters alone, when every piece is one character. */
function unsplit(word: string): string {
  if (!/[.\-_*·]./.test(word)) return word;
  const trail = /[.!?,;:]$/.test(word) && word.length > 1 ? word.slice(-1) : "";
  const core = trail ? word.slice(0, -1) : word;
  const pieces = core.split(/[.\-_*·]/);
  if (pieces.length >= 3 && pieces.every((p) => p.length === 1)) return pieces.join("") + trail;
  if (/^[a-z]+\*[a-z]+$/.test(core)) return core.replace("*", "i") + trail; // "k*ll", "sh*t": the vowel most often starred
  return word;
}

/** Letter-spaced runs: single characters separated by one space inside a word, two or more between words. */
function joinRun(run: { ch: string; gap: number }[], out: string[]): void {
  if (run.length < 3) {
    for (const r of run) out.push(SHORT[r.ch] ?? (r.ch === "@" ? "a" : r.ch));
    return;
  }
  let word = "";
  for (const [i, r] of run.entries()) {
    if (i > 0 && r.gap >= 2) {
      out.push(word);
      word = "";
    }
    word += LEET[r.ch] ?? r.ch;
  }
  out.push(word);
}

export function deobfuscate(text: string): string {
  const out: string[] = [];
  let run: { ch: string; gap: number }[] = [];
  let last = 0;
  for (const m of text.matchAll(/\S+/g)) {
    const gap = m.index - last;
    last = m.index + m[0].length;
    let word = m[0];
    // Fast path: plain lower-case ASCII words need no folding (most of any text).
    if (/^[A-Za-z']+[.,!?;:]?$/.test(word)) word = word.toLowerCase();
    else {
      word = "";
      for (const ch of m[0]) word += foldChar(ch);
    }
    if (!word) continue;
    if (word.length === 1 && /[a-z0-9@$!]/.test(word) && !(word === "!" && gap === 0)) {
      run.push({ ch: word, gap });
      continue;
    }
    if (run.length) {
      joinRun(run, out);
      run = [];
    }
    word = unleet(unsplit(word));
    const bare = word.replace(/[!?.,;:]+$/, "");
    const short = SHORT[bare];
    out.push(short ? short + word.slice(bare.length) : word);
  }
  joinRun(run, out);
  return out.join(" ");
}
