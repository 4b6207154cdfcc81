// The fast local layer: every category's score for one text, in one pass per detector.
//   phrases  – Aho–Corasick over normalized text (leetspeak, look-alikes, punctuation folded), plus a
//              second pass over letter-spaced runs ("k i l l  y o u r s e l f") with the spaces removed
//   regexes  – proximity and word-order rules (rules.ts)
//   obscenity – the maintained profanity/slur list with its own leetspeak and confusable transformers
//   compose  – the compositional classifier: deobfuscate.ts → wink-nlp sentences (nlp.ts, bounded by
//              windows.ts) → request frame × act × target (compose.ts); jailbreak structure (jailbreak.ts)
//   pii      – pii.ts
//   payloads – base64/hex runs decoded and scanned again (an encoded harmful request is also a jailbreak signal)
import { buildAutomaton, scanText, type Automaton } from "./automaton";
import { addScore, type CategoryScores, type SafetyCategory } from "./categories";
import type { SafetyConfig } from "./config";
import { composeHits } from "./compose";
import { deobfuscate } from "./deobfuscate";
import { jailbreakHits } from "./jailbreak";
import { analyze } from "./nlp";
import { symbolsOfPhrase } from "./normalize";
import { nlpWindow, triggerPieces } from "./windows";

/** Characters of one input read whole by every detector (head and tail halves beyond it). */
export const MAX_SCAN_CHARS = 131_072;
import { findPii, type PiiFinding } from "./pii";
import { profaneWords } from "./profanity";
import { PHRASE_RULES, REGEX_RULES } from "./rules";

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
  despaced: Automaton;
}

let compiled: Compiled | null = null;

function tables(): Compiled {
  if (compiled) return compiled;
  const phrases = compilePhrases();
  return (compiled = {
    phrases,
    words: buildAutomaton(phrases.map((p) => phraseSymbols(p.phrase))),
    despaced: buildAutomaton(phrases.map((p) => symbolsOfPhrase(p.phrase.replace(/[ *]/g, "")))),
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

const LETTER_SPACED = /(?<!\S)(?:\S[ \t]+){3,}\S(?!\S)/g;
const BASE64 = /[A-Za-z0-9+/]{16,}={0,2}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}){10,}\b/g;

function decodePayloads(text: string): { encoding: string; text: string }[] {
  const out: { encoding: string; text: string }[] = [];
  const printable = (s: string) => s.length > 0 && /^[\x20-\x7e\n\r\t\u00a0-\u024f]+$/.test(s) && /[a-z]{3}/i.test(s);
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

export function classifyText(text: string, config: SafetyConfig, depth = 0): LocalResult {
  const t = tables();
  const hits: Hit[] = [];
  const seen = new Set<number>();
  const phraseHit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    const p = t.phrases[id];
    hits.push({ category: p.category, weight: p.weight, rule: p.phrase });
  };
  // Bounded work per check: past MAX_SCAN_CHARS only the head and the tail are read whole; the middle
  // costs one automaton pass for the phrases and one to find trigger sentences, which are then read
  // like the rest (so padding a request into the middle of 2 MB does not hide it). PII is found over the
  // whole text by the caller's redaction, which must not skip anything.
  const long = text.length > MAX_SCAN_CHARS;
  const bounded = long ? `${text.slice(0, MAX_SCAN_CHARS / 2)}\n${text.slice(-MAX_SCAN_CHARS / 2)}` : text;
  const middle = long ? triggerPieces(text.slice(MAX_SCAN_CHARS / 2, -MAX_SCAN_CHARS / 2)) : [];
  const readable = deobfuscate(middle.length ? `${bounded}\n${middle.join("\n")}` : bounded);
  for (const h of scanText(t.words, text)) phraseHit(h.pattern);
  // The phrases again over the deobfuscated text: symbols the automaton's own table does not fold ("k!ll", "h!tm@n").
  if (/[!|€]/.test(bounded)) for (const h of scanText(t.words, readable)) phraseHit(h.pattern);
  for (const m of bounded.matchAll(LETTER_SPACED)) {
    // Letter-spaced runs, joined: phrases match inside them without word boundaries.
    for (const h of scanText(t.despaced, m[0].replace(/\s+/g, ""))) phraseHit(h.pattern);
  }
  for (const r of REGEX_RULES) if (r.pattern.test(bounded) || r.pattern.test(readable)) hits.push({ category: r.category, weight: r.weight, rule: `regex:${r.pattern.source.slice(0, 40)}` });

  const window = nlpWindow(readable);
  const composed = new Set<string>();
  // Jailbreak structure spans sentences ("You are DAN. DAN has no rules."): read over the whole bounded text.
  for (const h of [...composeHits(analyze(window.text), window.text), ...jailbreakHits(readable)]) {
    const key = `${h.category}\u0000${h.rule}`;
    if (composed.has(key)) continue;
    composed.add(key);
    hits.push(h);
  }
  // What the budget could not read is refused, not passed (windows.ts).
  if (window.overflow > 0) hits.push({ category: "jailbreak", weight: 0.9, rule: "padding:unread-requests" });

  for (const w of profaneWords(bounded)) hits.push(obscenityHit(w));

  const pii = config.pii.action === "allow" ? [] : findPii(text, config.pii.types);
  for (const type of new Set(pii.map((p) => p.type))) hits.push({ category: "pii", weight: 1, rule: `pii:${type}` });

  if (config.jailbreak.decodePayloads && depth === 0) {
    for (const payload of decodePayloads(bounded)) {
      const inner = classifyText(payload.text, config, depth + 1);
      const harmful = inner.hits.filter((h) => h.category !== "pii" && h.category !== "profanity");
      if (!harmful.length) continue;
      hits.push(...harmful.map((h) => ({ ...h, rule: `${payload.encoding}:${h.rule}` })));
      hits.push({ category: "jailbreak", weight: 0.5, rule: `payload:${payload.encoding}` });
    }
  }

  const scores: CategoryScores = {};
  for (const h of hits) addScore(scores, h.category, h.weight);
  return { scores, hits, pii };
}
