// The "auto" model's router: a fast local classifier that sends a request to the cheap or the strong
// model. Hand-written features and weights rather than a model: it must add well under a millisecond
// and be explainable. Features: length, code, math, multi-step reasoning cues, conversation depth,
// attachments. The weights were fitted by hand against tests/fixtures/routing-prompts.json;
// `npm run eval:routing` reports accuracy, the cheap share, cost saved and the added latency.

export interface CascadeInput {
  /** The latest user message. */
  text: string;
  /** User turns in the conversation so far, this one included. */
  depth: number;
  /** Non-text parts (files, images) attached to the message. */
  attachments: number;
}

export interface CascadeDecision {
  tier: "cheap" | "strong";
  score: number;
  reasons: string[];
}

// Every pattern runs in linear time on any input (the user's text is hostile): no quantifier may
// compete with a neighbour for the same characters (`^\s*` under /m over newlines, `\d+\s*[*/]`
// over digits, `\w+\(\)` over a long word, `.*` between two keywords), so each is written with one
// character (the match is the same), a class its neighbour cannot match, or a bounded gap. And only
// a bounded slice of a long text is classified (classify).

// Code syntax, not English words that happen to be keywords ("let you know", "class of 2020").
const CODE =
  /```|\b(?:const|let|var)\s+\w+\s*=|\bdef\s+\w+\s*\(|\bclass\s+\w+\s*[({:]|\bimport\s+[\w{*]|\b(?:SELECT|INSERT|UPDATE)\b.{0,200}?\b(?:FROM|INTO|SET)\b|\basync\s+function\b|=>|\w\(\)|#include|[{};][ \t]*$|^[ \t]*(?:FROM|RUN|COPY)\s/m;
const CODE_TASK =
  /\b(debug|refactor|implement|optimi[sz]e|bug|stack trace|compile|segfault|race condition|algorithm|complexity|unit tests?|regex|script|query|schema|resolvers?|module|hook|crawler|parser|tokenizer|pipeline|backpressure|dockerfile|kubernetes|terraform|graphql|api)\b|\b(write|build|create) (a |an )?\w* ?(function|program|script|class|query|service|test)/i;
const MATH =
  /\b(prove|proof|integral|derivative|differentiate|integrate|equation|theorem|lemma|matrix|eigen\w*|probability|expected value|variance|solve|posterior|calculate|compute|estimate|induction|modulo|primes?|combinatori\w*|mph|interest rate|amortization|geometric)\b|[∑∫√π≤≥]|\d[ \t]*[\^*/][ \t]*\d|\b[xy][ \t]*[=+\-*/^][ \t]*\d|\d[xy]\b/i;
const STEPS =
  /\b(step[- ]by[- ]step|walk (me )?through|first\b.{0,200}?\bthen\b|compare|contrast|analy[sz]e|trade-?offs?|pros and cons|evaluate|critically|critique|design|architect\w*|plan|strategy|explain (why|how)|in detail|thorough|comprehensive|justify|justification|derive|deriving|reason about|implications|arguments?|evidence|debate|essay|outline|curriculum|draft a|detailed|review|differences?|proposal)\b/i;
const COMPOUND = /,? and (explain|analy[sz]e|compare|discuss|recommend|justify|verify|show|prove|propose|suggest|evaluate|handles?|stores?)\b|\b(then|with) (explain|tests|milestones|complexity)/i;
const SIMPLE =
  /^(hi|hello|hey|thanks|thank you|ok|okay|yes|no|cool|great|good (morning|night|evening))\b|\b(translate|synonym|define|spell|capital of|what time|what day|how do you say|convert \d+|rhyme)\b/i;

const LIST_ITEM = /^[ \t]*(?:\d+[.)]|[-*])[ \t]+/gm;

/** Every pattern classify runs (tests check each is linear on hostile input). */
export const CASCADE_PATTERNS: Record<string, RegExp> = { CODE, CODE_TASK, MATH, STEPS, COMPOUND, SIMPLE, LIST_ITEM };

/** Characters of a long message classified: its start and its end (the decision needs no more). */
export const CLASSIFIED_CHARS = 8_192;

/** The start and the end of a long text, CLASSIFIED_CHARS in all. */
export function classifiedSlice(text: string): string {
  if (text.length <= CLASSIFIED_CHARS) return text;
  return `${text.slice(0, CLASSIFIED_CHARS / 2)}\n${text.slice(-CLASSIFIED_CHARS / 2)}`;
}

/** Words of the whole text, as split(/\s+/) counts them, without building the array: length is the one feature read beyond the slice. */
function countWords(text: string): number {
  let n = 0;
  for (const re = /\S+/g; re.exec(text); ) n++;
  return n;
}

/** Scores a request; ≥ 1 goes to the strong model. */
export function classify(input: CascadeInput): CascadeDecision {
  const text = classifiedSlice(input.text);
  const reasons: string[] = [];
  let score = 0;
  const words = countWords(input.text);
  if (words > 120) {
    score += 1;
    reasons.push("long");
  } else if (words > 45) {
    score += 0.5;
    reasons.push("medium length");
  } else if (words > 15) {
    score += 0.25;
  }
  if (CODE.test(text) || CODE_TASK.test(text)) {
    score += 1;
    reasons.push("code");
  }
  if (MATH.test(text)) {
    score += 1;
    reasons.push("math");
  }
  if (COMPOUND.test(text)) {
    score += 0.4;
    reasons.push("compound request");
  }
  const steps = text.match(new RegExp(STEPS.source, "gi"))?.length ?? 0;
  if (steps > 0) {
    score += Math.min(1.2, 0.6 * steps);
    reasons.push("multi-step");
  }
  const questions = text.split("?").length - 1;
  const listItems = (text.match(LIST_ITEM) ?? []).length;
  if (questions >= 3 || listItems >= 3) {
    score += 0.5;
    reasons.push("many parts");
  }
  if (input.depth >= 6) {
    score += 0.3;
    reasons.push("deep conversation");
  }
  if (input.attachments > 0) {
    score += 1;
    reasons.push("attachments");
  }
  if (SIMPLE.test(text) && words < 25) {
    score -= 0.6;
    reasons.push("simple cue");
  }
  return { tier: score >= 1 ? "strong" : "cheap", score, reasons };
}
