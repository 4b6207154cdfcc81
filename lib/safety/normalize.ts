// Character normalization shared by the input scan and the streaming matcher: one symbol per
// source character, so a match can be mapped back to the raw text and the stream can hold back
// exactly the characters that could still become a match. Symbols: 0 = word separator,
// 1–26 = a–z, 27–36 = digits that have no leetspeak reading.
// Hand-written rather than obscenity's transformers: those run inside its RegExpMatcher over a
// whole string, while the stream needs a per-character mapping it can apply incrementally.
export const SEPARATOR = 0;
export const SKIP = -1;
export const ALPHABET = 37;

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };

// Look-alike letters from other scripts (Cyrillic, Greek) that NFKD does not fold to Latin.
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x", і: "i", ј: "j", ѕ: "s",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x",
};

function letterSymbol(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 65 && c <= 90) return c - 64;
  return SEPARATOR;
}

const ascii = new Int8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (LEET[ch]) ascii[c] = letterSymbol(LEET[ch]);
  else if (/[a-z]/i.test(ch)) ascii[c] = letterSymbol(ch);
  else if (/[0-9]/.test(ch)) ascii[c] = 27 + c - 48;
  else if (ch === "'" || ch === "-" || ch === "*" || ch === "_" || ch === ".") ascii[c] = SKIP; // "i'm", "k-i-l-l", "k*ll", "k.i.l.l"
  else ascii[c] = SEPARATOR;
}

const wide = new Map<number, number>();

/** The symbol of one UTF-16 code unit (astral characters map through their surrogates to separators). */
export function symbolOf(code: number): number {
  if (code < 128) return ascii[code];
  let s = wide.get(code);
  if (s !== undefined) return s;
  const ch = String.fromCharCode(code);
  const lower = ch.toLowerCase();
  const folded = CONFUSABLES[lower] ?? lower.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  if (folded.length === 1 && folded.charCodeAt(0) < 128) s = ascii[folded.charCodeAt(0)];
  else if (/[\u200b-\u200d\u2060\ufeff\u00ad\u2019\u2018]/.test(ch)) s = SKIP; // zero-width, soft hyphen, curly apostrophes
  else s = SEPARATOR;
  if (wide.size < 4096) wide.set(code, s);
  return s;
}

const LETTERS = " abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * One character folded to lower-case ASCII: look-alikes and accents to their letter, zero-width
 * characters to "", anything else lower-cased and kept (digits and punctuation stay as they are;
 * deobfuscate.ts decides per word whether a digit is leetspeak).
 */
export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
  const s = symbolOf(code);
  if (s === SKIP) return ch === "\u2019" || ch === "\u2018" ? "'" : "";
  if (s > 0 && s <= 26) return LETTERS[s];
  return ch.toLowerCase();
}

/**
 * The normalized text (separators collapsed to one space). With keepDigits, digits stay digits
 * (no leetspeak reading), for regex rules that count ("12 year old").
 */
export function normalizeText(text: string, keepDigits = false): string {
  let out = "";
  let lastSep = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (keepDigits && code >= 48 && code <= 57) {
      out += text[i];
      lastSep = false;
      continue;
    }
    const s = symbolOf(code);
    if (s === SKIP) continue;
    if (s === SEPARATOR) {
      if (!lastSep) out += " ";
      lastSep = true;
    } else {
      out += LETTERS[s];
      lastSep = false;
    }
  }
  return out.trim();
}

export function symbolsOfPhrase(phrase: string): number[] {
  const out: number[] = [];
  for (const ch of phrase) out.push(ch === " " ? SEPARATOR : LETTERS.indexOf(ch));
  if (out.some((s) => s < 0)) throw new Error(`safety phrase "${phrase}" must be lower-case letters, digits and single spaces`);
  return out;
}
