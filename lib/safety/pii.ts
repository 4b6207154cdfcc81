// PII and secrets: find them, and redact them before text goes upstream. Regexes find candidates;
// checksums (Luhn for cards, ISO 7064 mod-97 for IBANs) and range rules (SSN) drop look-alikes such
// as order numbers. No maintained JS library covers this set with checksums, hence our own.
import type { PiiType } from "./config";
import { findSecrets } from "./secrets";

export interface PiiFinding {
  type: PiiType;
  start: number;
  end: number;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

interface Detector {
  type: PiiType;
  pattern: RegExp;
  valid?: (match: string) => boolean;
}

// Linear by construction: every quantifier is bounded or starts at a literal, and no lookbehind
// scans more than one character (issue 17: the old email pattern restarted at every dot of
// ".a.a.a…", and a lookbehind with \s* rescanned long runs of spaces).
const DETECTORS: Detector[] = [
  { type: "iban", pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, valid: ibanValid },
  {
    type: "card",
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/g,
    valid: (m) => {
      const d = m.replace(/\D/g, "");
      return d.length >= 13 && d.length <= 19 && luhnValid(d) && !/^(\d)\1+$/.test(d);
    },
  },
  {
    type: "national_id",
    // US SSN (area 000, 666 and 900–999 are never issued) and UK National Insurance numbers (any two
    // letters: HMRC's own example "QQ 12 34 56 A" has a prefix never issued, and people paste it).
    // An SSN is written with dashes, or with spaces or none after "SSN" / "social security".
    pattern: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b|\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
  },
  {
    type: "national_id",
    // After "SSN" / "social security number" an SSN may be written with spaces or none; the capture is the number.
    pattern: /\b(?:ssn|SSN|Ssn|security number|security no|ss#)[:#]? {0,2}((?!000|666|9\d\d)\d{3} ?(?!00)\d{2} ?(?!0000)\d{4})\b/dg,
  },
  {
    type: "address",
    // A street address: a house number, one to four capitalised words and a street type, then
    // optionally a unit, a city and a state or postcode (US "TX 78745", UK "SW1A 1AA").
    pattern:
      /\b\d{1,6}[A-Za-z]? (?:[A-Z][a-z]{1,20} ){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Ct|Court|Way|Pl|Place|Ter|Terrace|Pkwy|Parkway|Cir|Circle|Hwy|Highway|Close|Crescent|Gardens|Grove|Square|Row|Mews|Walk)\b\.?(?:,? (?:Apt|Apartment|Suite|Unit|Flat|#) ?[A-Za-z0-9-]{1,6})?(?:,? (?:[A-Z][a-z]{1,20} ){0,2}[A-Z][a-z]{1,20})?(?:,? [A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|,? [A-Z]{2}\b(?: \d{5}(?:-\d{4})?)?|,? \d{5})?/g,
  },
  {
    type: "ip",
    // IPv4 addresses other than private, loopback and link-local ones (a home or server address is
    // personal data; 192.168.1.1 in a router question is not).
    pattern: /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?!\d|\.\d)/g,
    valid: (m) => !/^(?:10|127|0)\.|^192\.168\.|^169\.254\.|^172\.(?:1[6-9]|2\d|3[01])\.|^255\./.test(m),
  },
  {
    type: "phone",
    // International (+CC …), UK trunk (0NNNN NNNNNN) or North-American (NNN) NNN-NNNN shapes; bare digit runs are too often not phones.
    pattern: /(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}|\d{3}[.-]\d{3}[.-]\d{4}|0\d{4} ?\d{6})(?![\w])/g,
    valid: (m) => {
      const n = m.replace(/\D/g, "").length;
      return n >= 9 && n <= 15;
    },
  },
];

const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /[A-Za-z0-9.-]/;

/**
 * Emails anchored on "@" and expanded both ways within RFC 5321's lengths (64 before, 253 after):
 * each "@" costs at most 317 steps, whatever surrounds it.
 */
function findEmails(text: string, out: PiiFinding[]): void {
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let s = at;
    while (s > 0 && at - s < 64 && LOCAL.test(text[s - 1])) s--;
    let e = at + 1;
    while (e < text.length && e - at <= 253 && DOMAIN.test(text[e])) e++;
    while (s < at && /[._%+-]/.test(text[s])) s++; // a local part starts with a letter or digit
    while (e > at + 1 && /[.-]/.test(text[e - 1])) e--; // "mail me at a@b.co." ends before the dot
    if (s === at) continue;
    const domain = text.slice(at + 1, e);
    const dot = domain.lastIndexOf(".");
    if (dot <= 0 || !/^[A-Za-z]{2,24}$/.test(domain.slice(dot + 1)) || domain.includes("..")) continue;
    out.push({ type: "email", start: s, end: e });
  }
}

export function findPii(text: string, types: readonly PiiType[]): PiiFinding[] {
  const found: PiiFinding[] = [];
  // Secrets first: earlier entries win overlaps (an API key before the email or digits inside it).
  if (types.includes("secret")) for (const s of findSecrets(text)) found.push({ type: "secret", ...s });
  for (const d of DETECTORS) {
    if (!types.includes(d.type)) continue;
    // A candidate that fails its checksum is retried one character later: "+44 4111 1111 1111 1111"
    // must not hide the card inside a longer digit run. Patterns are bounded (≤ 40 characters), so
    // each start costs a constant and the scan stays linear.
    const re = new RegExp(d.pattern.source, d.pattern.flags);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (d.valid && !d.valid(m[0])) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const at = m.indices?.[1];
      found.push(at ? { type: d.type, start: at[0], end: at[1] } : { type: d.type, start: m.index, end: m.index + m[0].length });
    }
  }
  if (types.includes("email")) findEmails(text, found);
  // Stable sort: at one start, the earlier detector (a secret) wins.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiFinding[] = [];
  for (const f of found) {
    const prev = out[out.length - 1];
    if (prev && f.start < prev.end) continue;
    out.push(f);
  }
  return out;
}

const LABEL: Record<PiiType, string> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  card: "[CARD]",
  iban: "[IBAN]",
  national_id: "[NATIONAL_ID]",
  address: "[ADDRESS]",
  ip: "[IP]",
  secret: "[SECRET]",
};

export function redactPii(text: string, findings: readonly PiiFinding[]): string {
  let out = "";
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + LABEL[f.type];
    at = f.end;
  }
  return out + text.slice(at);
}
