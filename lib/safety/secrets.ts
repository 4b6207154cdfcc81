// Credentials in user text: cloud keys, VCS and chat tokens, payment keys, JWTs, private keys, and
// values assigned to secret-sounding names. The token shapes follow the gitleaks rule set (its
// aws-access-token, github-*, gitlab-*, slack-*, stripe-access-token, jwt and private-key rules).
// Hand-written: gitleaks ships its rules as Go/TOML, and secretlint's rules are async, file-oriented
// linters (a lint run per check costs milliseconds); we need synchronous spans in one pass.
// Every pattern is linear: each starts at a literal prefix preceded by a non-token character (a
// one-character lookbehind, so a long token run has one start, not one per position), and no
// quantifier can overlap the one after it.
export interface Span {
  start: number;
  end: number;
}

/** A token character: what may not precede a token's prefix. */
const NT = "(?<![A-Za-z0-9_/+-])"; // "=" may precede a token: KEY=sk_live_…, ?key=AIza…

const TOKENS: RegExp[] = [
  // AWS access key ids (AKIA long-lived, ASIA temporary, …).
  new RegExp(`${NT}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])`, "g"),
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs.
  new RegExp(`${NT}(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})`, "g"),
  // GitLab personal, deploy, runner, pipeline-trigger, feed, … tokens.
  new RegExp(`${NT}(?:gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-[A-Za-z0-9_-]{20,255}|GR1348941[A-Za-z0-9_-]{20,255})`, "g"),
  // Slack bot/user/app tokens and incoming webhooks.
  new RegExp(`${NT}(?:xox[abposre]-[A-Za-z0-9-]{10,255}|xapp-\\d-[A-Za-z0-9-]{10,255})`, "g"),
  /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{20,255}/g,
  // Stripe secret and restricted keys (publishable pk_ keys are public by design).
  new RegExp(`${NT}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,255}`, "g"),
  // OpenAI / Anthropic style keys, Google API keys.
  new RegExp(`${NT}sk-(?:proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}`, "g"),
  new RegExp(`${NT}AIza[0-9A-Za-z_-]{35}`, "g"),
  // JWTs: header and payload are base64url JSON objects ("eyJ" = '{"').
  new RegExp(`${NT}eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{8,4096}`, "g"),
  // Bearer credentials of any shape.
  /\bBearer[ \t]{1,4}([A-Za-z0-9._~+/-]{20,4096}=*)/dg,
  // A password inside a connection URL: scheme://user:password@host.
  /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,128}:([^\s/@]{1,256})@/dg,
  // A value assigned to a secret-sounding name (AWS_SECRET_ACCESS_KEY=…, "api_key": "…", password: …).
  /(?:api[_-]?key|secret|password|passwd|pwd|token|access[_-]?key|private[_-]?key|restricted[_-]?key|credentials?)[A-Za-z0-9_-]{0,24}["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([^\s"',;]{8,512})/dgi,
];

// A password given in words ("password Summer2024!Fern", "my password is hunter2!x"): only a value
// that looks like one (letters with digits or symbols), so "my password is incorrect" stays.
const PASSWORD_WORDS = /\b(?:password|passwd|passcode|pwd|pw)(?: is| was| =| -|:)?[ \t]{1,3}["']?([^\s"',;]{6,128})/dgi;

// AWS secret access keys have no prefix: 40 base64 characters, counted when an AWS word or key id is near.
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_CONTEXT = /aws|secret|AKIA|ASIA/i;

const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Whether the text has a run of at least n base64 characters (A–Z, a–z, 0–9, "+", "/", "=", "-", "_").
 * One character loop: the regexes that look for such runs restart at every position of every shorter
 * word, so they run only when this says a run exists.
 */
export function hasLongRun(text: string, n: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const token = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 45 || c === 95;
    run = token ? run + 1 : 0;
    if (run >= n) return true;
  }
  return false;
}

export function findSecrets(text: string): Span[] {
  const out: Span[] = [];
  for (const re of TOKENS) {
    for (const m of text.matchAll(re)) {
      // Patterns with a capture redact only the value (the name or "Bearer" stays readable).
      const at = m.indices?.[1];
      out.push(at ? { start: at[0], end: at[1] } : { start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of text.matchAll(PASSWORD_WORDS)) {
    const v = m[1];
    if (/[A-Za-z]/.test(v) && /[\d!@#$%^&*?_~+=]/.test(v) && m.indices?.[1]) out.push({ start: m.indices[1][0], end: m.indices[1][1] });
  }
  if (hasLongRun(text, 40)) for (const m of text.matchAll(AWS_SECRET)) {
    const s = m[0];
    if (!/[0-9/+]/.test(s) || !/[a-z]/.test(s) || !/[A-Z]/.test(s)) continue; // a word run or hex digest is not a key
    if (AWS_CONTEXT.test(text.slice(Math.max(0, m.index - 200), m.index))) out.push({ start: m.index, end: m.index + 40 });
  }
  // Private keys: from the BEGIN line to its END line, or to the end of the text when it was cut off.
  // One indexOf per key, resumed after it, so many BEGIN lines cost one pass.
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  for (let m = PRIVATE_KEY_BEGIN.exec(text); m; m = PRIVATE_KEY_BEGIN.exec(text)) {
    const endAt = text.indexOf("-----END ", m.index + m[0].length);
    if (endAt < 0) {
      out.push({ start: m.index, end: text.length });
      break;
    }
    const close = text.indexOf("-----", endAt + 9);
    const end = close < 0 ? text.length : close + 5;
    out.push({ start: m.index, end });
    PRIVATE_KEY_BEGIN.lastIndex = end;
  }
  return out;
}
