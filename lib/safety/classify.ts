// The fast local layer: every category's score for one text.
//   deobfuscate – look-alikes, accents, zero-width characters, leetspeak and symbols, dotted and
//                 letter-spaced words, stretched letters, misspellings of the lexicon (deobfuscate.ts)
//   phrases     – Aho–Corasick over the deobfuscated text (rules.ts: the older lists, also the stream's)
//   regexes     – proximity and word-order rules (rules.ts)
//   cues        – one more automaton pass tags each sentence with the detectors it concerns (cues.ts);
//                 then only those run: wink-nlp + compose.ts/crimes.ts on sentences with an act or a
//                 harmful object (bounded by windows.ts), self-harm.ts, speech.ts, jailbreak.ts
//   obscenity   – the maintained profanity/slur list with its own leetspeak and confusable transformers
//   pii         – pii.ts
//   payloads    – base64/hex runs decoded and scanned again (an encoded harmful request is also a jailbreak signal)
import { buildAutomaton, scanText, type Automaton } from "./automaton";
import { addScore, type CategoryScores, type SafetyCategory } from "./categories";
import type { SafetyConfig } from "./config";
import { composeHits, type ComposedHit } from "./compose";
import { CUE, cuePieces, needsNlp, nlpText, plain } from "./cues";
import { deobfuscate } from "./deobfuscate";
import { globalContexts, mayCompose } from "./frames";
import { jailbreakHits } from "./jailbreak";
import { WEAPON_EXCUSES } from "./lexicon";
import { analyze } from "./nlp";
import { symbolsOfPhrase } from "./normalize";
import { findPii, type PiiFinding } from "./pii";
import { hasLongRun } from "./secrets";
import { profaneWords } from "./profanity";
import { PHRASE_RULES, REGEX_RULES } from "./rules";
import { selfHarmIn } from "./self-harm";
import { speechIn } from "./speech";
import { structuresIn } from "./structures";
import { nlpWindow, triggerPieces } from "./windows";

/** Characters of one input read whole by every detector (head and tail halves beyond it). */
export const MAX_SCAN_CHARS = 131_072;

export interface Hit {
  category: SafetyCategory;
  weight: number;
  /** What matched: the phrase, "regex", "obscenity:<word>", "pii:<type>" or "payload:<encoding>". */
  rule: string;
}

export interface LocalResult {
  scores: CategoryScores;
  hits: Hit[];
  pii: PiiFinding[];
}

export interface CompiledPhrase {
  category: SafetyCategory;
  weight: number;
  phrase: string;
}

/** Phrase → symbols: a leading word boundary always, a trailing one unless the phrase ends in "*". */
export function phraseSymbols(phrase: string): number[] {
  const open = phrase.endsWith("*");
  const body = open ? phrase.slice(0, -1) : phrase;
  return symbolsOfPhrase(open ? ` ${body}` : ` ${body} `);
}

export function compilePhrases(rules = PHRASE_RULES): CompiledPhrase[] {
  return rules.flatMap((r) => r.phrases.map((phrase) => ({ category: r.category, weight: r.weight, phrase })));
}

interface Compiled {
  phrases: CompiledPhrase[];
  words: Automaton;
}

let compiled: Compiled | null = null;

function tables(): Compiled {
  if (compiled) return compiled;
  const phrases = compilePhrases();
  return (compiled = {
    phrases,
    words: buildAutomaton(phrases.map((p) => phraseSymbols(p.phrase))),
  });
}

// obscenity's word list, by what it is: slurs count as hate, sex words as sexual (anatomy terms too
// weakly to flag alone — they are everyday medical words), the rest as profanity.
const SLURS = new Set(["abo", "abeed", "africoon", "arabush", "boonga", "chingchong", "chink", "dyke", "fag", "kike", "nigger", "retard", "spastic", "tranny"]);
const SEXUAL = new Set([
  "bestiality", "blowjob", "buttplug", "cum", "deepthroat", "dildo", "doggystyle", "double penetration", "ejaculate", "felch", "fellatio",
  "finger bang", "fisting", "gangbang", "handjob", "hentai", "incest", "jerk off", "jizz", "lubejob", "masturbate", "orgy", "porn",
]);
const WEAK = new Set(["anal", "anus", "penis", "vagina", "semen", "orgasm", "sex", "boob", "tit", "negro", "scat", "rape", "hooker"]);

function obscenityHit(word: string): Hit {
  if (SLURS.has(word)) return { category: "hate", weight: 0.6, rule: `obscenity:${word}` };
  if (SEXUAL.has(word)) return { category: "sexual", weight: 0.45, rule: `obscenity:${word}` };
  if (WEAK.has(word)) return { category: word === "rape" ? "violence" : "sexual", weight: 0.15, rule: `obscenity:${word}` };
  return { category: "profanity", weight: 0.6, rule: `obscenity:${word}` };
}

const BASE64 = /[A-Za-z0-9+/]{16,}={0,2}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}){10,}\b/g;

function decodePayloads(text: string): { encoding: string; text: string }[] {
  const out: { encoding: string; text: string }[] = [];
  const printable = (s: string) => s.length > 0 && /^[\x20-\x7e\n\r\t\u00a0-\u024f]+$/.test(s) && /[a-z]{3}/i.test(s);
  if (!hasLongRun(text, 16)) return out; // both payload shapes are runs of 16+ such characters
  for (const m of text.matchAll(BASE64)) {
    if (!/[0-9+/=]|[a-z][A-Z]/.test(m[0])) continue; // a plain long word is not base64
    const decoded = Buffer.from(m[0], "base64").toString("utf8");
    if (printable(decoded)) out.push({ encoding: "base64", text: decoded });
  }
  for (const m of text.matchAll(HEX)) {
    const decoded = Buffer.from(m[0], "hex").toString("utf8");
    if (printable(decoded)) out.push({ encoding: "hex", text: decoded });
  }
  return out;
}

export interface ClassifyOptions {
  /**
   * Run every detector even once the text is blocked (the evaluation's per-category figures). By
   * default the detectors run cheapest first and stop at the first block: the verdict is the same,
   * the review queue sees the rules that decided it, and a harmful message costs only what it took.
   */
  exhaustive?: boolean;
}

/** Hits and their running scores, with the block test the early stop uses. */
class Tally {
  hits: Hit[] = [];
  scores: CategoryScores = {};
  private keys = new Set<string>();
  constructor(private readonly config: SafetyConfig) {}
  add(h: Hit): void {
    const key = `${h.category}\u0000${h.rule}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.hits.push(h);
    addScore(this.scores, h.category, h.weight);
  }
  blocked(): boolean {
    for (const [k, v] of Object.entries(this.scores) as [SafetyCategory, number][]) {
      const b = k === "pii" ? null : this.config.categories[k].block;
      if (b !== null && v >= b) return true;
    }
    return false;
  }
}

/** Messages up to this long are read whole by the self-harm rules too, not only sentence by sentence. */
const SELF_WHOLE_CHARS = 600;

/** wink-nlp reads the composing sentences in batches of about this many characters, so a block can stop it early. */
const NLP_BATCH_CHARS = 1_200;

export function classifyText(text: string, config: SafetyConfig, options: ClassifyOptions = {}, depth = 0): LocalResult {
  const t = tables();
  const tally = new Tally(config);
  const done = () => !options.exhaustive && tally.blocked();
  // PII is found over the whole text whatever else happens: the caller's redaction must not skip anything.
  const pii = config.pii.action === "allow" ? [] : findPii(text, config.pii.types);
  for (const type of new Set(pii.map((p) => p.type))) tally.add({ category: "pii", weight: 1, rule: `pii:${type}` });
  const result = (): LocalResult => ({ scores: tally.scores, hits: tally.hits, pii });

  // Bounded work per check: past MAX_SCAN_CHARS only the head and the tail are read whole; the middle
  // costs one pass to find the sentences with cues, which are then read like the rest (so padding a
  // request into the middle of 2 MB does not hide it).
  const long = text.length > MAX_SCAN_CHARS;
  const bounded = long ? `${text.slice(0, MAX_SCAN_CHARS / 2)}\n${text.slice(-MAX_SCAN_CHARS / 2)}` : text;
  const middle = long ? triggerPieces(deobfuscate(text.slice(MAX_SCAN_CHARS / 2, -MAX_SCAN_CHARS / 2))) : [];
  const readable = deobfuscate(bounded) + (middle.length ? `\n\n${middle.join("\n\n")}` : "");
  // The phrases over the deobfuscated text: leetspeak, symbols, letter spacing and dots already undone.
  for (const h of scanText(t.words, readable)) {
    const p = t.phrases[h.pattern];
    // "how do i make a bomb cake", "a bomb pop": a phrase that ends on a weapon word the next word excuses.
    if (p.category === "illicit/violent" && WEAPON_EXCUSES.has(/^[\s'-]*([a-z]+)/.exec(readable.slice(h.end + 1, h.end + 24))?.[1] ?? "")) continue;
    tally.add({ category: p.category, weight: p.weight, rule: p.phrase });
  }
  for (const r of REGEX_RULES) if (r.pattern.test(readable) && !r.unless?.test(readable)) tally.add({ category: r.category, weight: r.weight, rule: `regex:${r.pattern.source.slice(0, 40)}` });
  if (done()) return result();

  const cued = cuePieces(readable);
  const plainAll = cued.mask ? plain(readable) : "";
  const addAll = (hs: ComposedHit[]) => {
    for (const h of hs) tally.add(h);
  };
  // The jailbreak patterns read the sentences with a jailbreak cue, joined (a persona set up in one may
  // drop the rules in the next); with only everyday override words ("ignore", "rules", "pretend"), only
  // the patterns those can start run.
  const JB = CUE.JAILBREAK | CUE.JB_STRONG | CUE.FOREIGN;
  if (cued.mask & JB) {
    const text_ = cued.pieces.length === 1 ? plainAll : cued.pieces.filter((p) => p.mask & JB).map((p) => plain(p.text)).join(" ");
    addAll(jailbreakHits(text_, (cued.mask & (CUE.JB_STRONG | CUE.FOREIGN)) !== 0));
  }
  if (done()) return result();
  const forNlp: string[] = [];
  const spoken: ComposedHit[] = [];
  const plains: string[] = [];
  for (const piece of cued.pieces) {
    const text_ = plain(piece.text);
    plains.push(text_);
    if (piece.mask & CUE.SELF) selfHarmIn(text_, spoken);
    if (piece.mask & (CUE.HATE | CUE.SEXUAL | CUE.ABUSE | CUE.THREAT | CUE.HARASS)) speechIn(text_, piece.mask, spoken);
    // wink-nlp reads only sentences that could compose: an act or object, and a frame, an intent or concealment.
    if (needsNlp(piece) && mayCompose(text_)) forNlp.push(nlpText(piece));
  }
  // A short message is also read whole: intent is often spread over two sentences ("I have a plan. Sunday.").
  // Structures (threats, violence with an outcome, degrading messages…) read a short message whole, a long one piece by piece.
  if (!cued.mask) {
    if (readable.length <= SELF_WHOLE_CHARS) structuresIn(plain(readable), spoken, 0);
  } else if (plainAll.length <= SELF_WHOLE_CHARS) structuresIn(plainAll, spoken, cued.mask);
  // In a long text, a sentence whose only cue is one everyday word ("my sister", "the card") is skipped, as for wink-nlp.
  else cued.pieces.forEach((piece, i) => (piece.mask & ~CUE.WEAK || piece.weak >= 2) && structuresIn(plains[i], spoken, piece.mask));
  if (cued.mask & CUE.SELF && plainAll.length <= SELF_WHOLE_CHARS && !(cued.pieces.length === 1 && plain(cued.pieces[0].text) === plainAll)) selfHarmIn(plainAll, spoken);
  addAll(spoken);
  if (done()) return result();

  const window = nlpWindow(forNlp);
  // What the budget could not read is refused, not passed (windows.ts).
  if (window.overflow > 0) tally.add({ category: "jailbreak", weight: 0.9, rule: "padding:unread-requests" });
  if (window.text) {
    const global = globalContexts(plainAll);
    const batch: string[] = [];
    let size = 0;
    const flush = () => {
      addAll(composeHits(analyze(batch.join("\n\n")), global));
      batch.length = 0;
      size = 0;
    };
    for (const p of window.pieces) {
      batch.push(p);
      size += p.length;
      if (size < NLP_BATCH_CHARS) continue;
      flush();
      if (done()) return result();
    }
    if (batch.length) flush();
  }
  if (done()) return result();

  for (const w of profaneWords(readable)) tally.add(obscenityHit(w));
  if (done()) return result();

  if (config.jailbreak.decodePayloads && depth === 0) {
    // Every decoded payload read in one check (JWTs and keys decode to JSON or noise: one pass, not one each).
    const payloads = decodePayloads(bounded);
    for (const encoding of ["base64", "hex"]) {
      const decoded = payloads.filter((p) => p.encoding === encoding).map((p) => p.text);
      if (!decoded.length) continue;
      const inner = classifyText(decoded.join("\n\n").slice(0, MAX_SCAN_CHARS), config, options, depth + 1);
      const harmful = inner.hits.filter((h) => h.category !== "pii" && h.category !== "profanity");
      if (!harmful.length) continue;
      for (const h of harmful) tally.add({ ...h, rule: `${encoding}:${h.rule}` });
      tally.add({ category: "jailbreak", weight: 0.5, rule: `payload:${encoding}` });
    }
  }
  return result();
}
