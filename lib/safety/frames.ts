// Request frames and hard-negative contexts for compose.ts. Every regex is linear: bounded gaps
// ({0,n}), no nested unbounded quantifiers, run over one sentence or over deobfuscated text.
import type { Sentence } from "./nlp";

/** Asking how, for steps, a recipe, the best way; "write me…", "can you…", imperatives. */
const FRAME =
  /\bhow\b(?: \S+){0,2}? (?:to|(?:do|can|could|would|should|might|will|may|does) (?:i|we|you|one|someone|somebody|anyone|people|a person|1|u))\b|\b(?:\w{2,}est|most \w+|effective|good|easy|quick|simple|painless|perfect|reliable|proven) (?:way|ways|method|methods|technique|techniques|place|time)\b|\b(?:way|ways|method|methods|technique|means) (?:to|of|for)\b|\b(?:steps?|instructions?|guide|tutorial|recipe|blueprint|procedure|formula|walkthrough)\b|\b(?:walk me through|teach me|show (?:me|us|it|the)|tell me|in full|explain|help me|give me|i need|i want to know|what do i need|what would i need|can you|could you|would you|will you|please|make me|let's|let 's|lets|i want you to)\b|\bwhere (?:can|do|could|should|would) (?:i|you|one|we)\b|\b(?:which|what)\b(?: \S+){0,6}? (?:can|could|should|do|would) (?:i|we|you)\b/;

const IMPERATIVE = new Set(`write code create build make generate draft list describe find dox design develop program give tell show
  explain teach help compose craft produce send text roleplay narrate script invent suggest provide detail brainstorm outline`.split(/\s+/));

/** First-person intent or a threat: "I will", "I'm going to", "I want to", "we should". */
const INTENT =
  /\b(?:i|we|i'm|im|we're)(?: \S+){0,2}? (?:will|'ll|shall|gonna|going to|want to|wanna|plan to|planning to|intend to|am going to|'m going to|are going to|swear|promise|gotta|have to|need to|would love to|about to|decided to|ready to)\b|\bi'll\b|\b(?:you'?re|you are) (?:going to|gonna) (?:die|pay|regret)\b|\bwatch your back\b/;

export function isRequest(s: Sentence): boolean {
  if (FRAME.test(s.text)) return true;
  // An imperative: the first word (after "please"/"now"/"ok") is a request verb.
  for (let i = 0; i < Math.min(s.words.length, 3); i++) {
    const w = s.words[i];
    if (w === "please" || w === "now" || w === "ok" || w === "okay" || w === "so" || w === "," || w === "just") continue;
    return IMPERATIVE.has(w) || IMPERATIVE.has(s.lemmas[i]);
  }
  return false;
}

export function isIntent(s: Sentence): boolean {
  return INTENT.test(s.text);
}

export interface Contexts {
  fiction: boolean;
  /** Fiction that still asks for the real thing: exact steps, quantities, temperatures. */
  operational: boolean;
  history: boolean;
  defense: boolean;
  medical: boolean;
}

const FICTION = /\b(?:story|stories|novel|fiction|fictional|character|characters|scene|plot|screenplay|chapter|book|poem|film|movie|tv show|series|d&d|dnd|campaign|roleplay|rpg|villain|hero|heroine|protagonist|antagonist|thriller|mystery|fantasy|comic|game|episode|narrative|monologue|dialogue)\b/;
const OPERATIONAL =
  /\b(?:exact|exactly|precise|precisely|step by step|step-by-step|quantities|quantity|measurements|temperatures|ingredients|amounts|grams|ratios|detailed instructions|real instructions|realistic instructions|actual|specifics|specific steps|in detail|accurate|recipe|formula|chemicals needed|materials needed)\b/;
const HISTORY = /\b(?:history|historical|historically|in (?:the )?(?:1[0-9]{3}|20[0-2][0-9])|century|ancient|world war|wwi|wwii|ww2|during the|what happened|why did|how did|was used|were used|were killed|was killed|trials?|genocide|holocaust|empire|medieval|civil war)\b/;
const DEFENSE = /\b(?:defend|protect|prevent|prevention|detect|detects|detection|recogni[sz]e|spot|mitigate|remove|report|avoid|awareness|training|simulation|secure|warning signs|signs of|so i can (?:help|spot|avoid|protect|recognize|stay safe)|how does \S+ work|what is a|what are)\b/;
const MEDICAL = /\b(?:doctor|doctors|symptoms?|treat|treatment|treated|patient|patients|nurse|hospital|side effects?|medical|clinic|diagnos\w{0,6}|therapy|therapist|prescri\w{0,8}|pharmacolog\w{0,4}|health|vaccine|disease|infection)\b/;

/** Asks for the procedure itself: "how to", "how do I", steps, a recipe, instructions. */
const HOW = /\bhow (?:to|do i|can i|would i|could i|should i|do you|would you|would someone|does one|do we)\b|\b(?:steps?|instructions?|recipe|tutorial|guide|procedure)\b/;

export function asksHow(s: Sentence): boolean {
  return HOW.test(s.text);
}

/**
 * Fiction and its operational detail are read over the whole text (a story is set up across
 * sentences); history, defence and medicine only in the sentence itself, so a cue pasted elsewhere
 * ("for my class.") cannot excuse a request.
 */
export function globalContexts(text: string): Pick<Contexts, "fiction" | "operational"> {
  return { fiction: FICTION.test(text), operational: OPERATIONAL.test(text) };
}

export function sentenceContexts(s: Sentence, global: Pick<Contexts, "fiction" | "operational">): Contexts {
  return { ...global, history: HISTORY.test(s.text), defense: DEFENSE.test(s.text), medical: MEDICAL.test(s.text) };
}
