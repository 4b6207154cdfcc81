// Jailbreaks by structure, not by exact strings: an instruction to drop the rules, a persona that
// has none, a claimed mode or override, the "deceased grandmother" exploit, and instructions nested
// in a translation or written in another language. Runs over deobfuscated, lower-case text; every
// gap is bounded ({0,n}), so each regex is linear.
import type { ComposedHit } from "./compose";

const RULES_WORD = String.raw`(?:instructions?|rules|guidelines|policies|policy|restrictions|filters?|programming|training|prompts?|directives|constraints|limitations|safeguards|ethics|principles|guardrails|moderation|content policy|morals|boundaries)`;
const WHOSE = String.raw`(?:your|all|any|previous|prior|above|earlier|preceding|system|these|those|openai's|openai|the developer's|safety|ethical|content|every|original|initial|old|default)`;

const PATTERNS: { rule: string; weight: number; re: RegExp }[] = [
  {
    rule: "override-rules",
    weight: 0.9,
    re: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|set aside|throw out|break free of|break|violate|stop following)\b(?: \S+){0,2}? ${WHOSE}\b(?: \S+){0,2}? ${RULES_WORD}\b`),
  },
  {
    rule: "persona-without-rules",
    weight: 0.9,
    re: /\b(?:you are|you're|you will be|you'll be|you are going to|pretend|act as|acting as|roleplay as|play the role of|behave as|from now on|imagine you are|become|simulate)\b(?: \S+){0,10}? (?:dan|stan|dude|aim|unrestricted|uncensored|unfiltered|jailbroken|jailbreak|amoral|unethical|evil ai|without (?:any )?(?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|policy|policies|content policy|boundaries)|(?:with )?no (?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|policy|policies|boundaries)|free (?:of|from) (?:all |any |the )?(?:rules|restrictions|confines|limits)|broken free|not bound by|no longer bound|do anything now|can do anything)\b/,
  },
  {
    rule: "pretend-no-rules",
    weight: 0.9,
    re: new RegExp(String.raw`\b(?:pretend|imagine|act as if|assume|suppose|let's say)\b(?: \S+){0,4}? ${RULES_WORD}\b(?: \S+){0,2}? (?:don't|do not|doesn't|does not|no longer|never|aren't|isn't|exist|gone|off|disabled|removed)\b|\b(?:pretend|imagine|act as if|assume|suppose)\b(?: \S+){0,3}? (?:there (?:are|is) no|you have no|you don't have(?: any)?) ${RULES_WORD}`),
  },
  { rule: "dan", weight: 0.9, re: /\bdo anything now\b|\bdan mode\b|\b(?:as|be|called|named|am|are) dan\b|\bdan,? (?:which|who) stands for\b|\bstay in character\b(?: \S+){0,3}? no matter/ },
  {
    rule: "claimed-mode",
    weight: 0.9,
    re: /\b(?:developer|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|dan|evil|god|debug|admin|sudo|unlocked) mode\b(?: \S+){0,6}? (?:enabled|activated|engaged|unlocked|you|your|confirm|respond|answer|without|no longer|policies|filters|restrictions|bound)\b|\b(?:enable|enter|activate|switch to) (?:developer|jailbreak|unrestricted|unfiltered|uncensored|dan|evil|god) mode\b(?: \S+){0,6}? (?:you|your|no longer|without|polic|filter|restrict)/,
  },
  {
    rule: "filters-off",
    weight: 0.9,
    re: /(?:safety|content|ethical|moral|your|all) (?:filters?|settings|guidelines|protocols|restrictions|checks|policies|policy|guardrails|safeguards)\b(?: are| is| have been| has been| now| :){0,2} (?:off|disabled|removed|deactivated|turned off|bypassed|lifted|gone|suspended)\b|\bno longer bound by\b|\b(?:ai|assistant|model|chatbot|bot|version of you|yourself)\b(?: \S+){0,1}? (?:without|with no|free of|free from) (?:any )?(?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|content policy)\b|\b(?:uncensored|unfiltered|unrestricted) (?:ai|model|assistant|chatbot|version|mode|responses?|answers?)\b|\byou (?:now )?have no (?:restrictions|rules|limits|filters|guidelines)\b/,
  },
  {
    rule: "deceased-relative",
    weight: 0.9,
    re: /\b(?:dead|deceased|late|passed away|departed|dying)\b(?: \S+){0,2}? (?:grandmother|grandma|granny|nana|grandfather|grandpa|mother|mom|mum|father|dad|aunt|uncle)\b[^.!?]{0,160}?\b(?:used to|would|always)\b(?: \S+){0,3}? (?:tell|read|sing|recite|explain|say|whisper|give|describe)/,
  },
  {
    rule: "foreign-override",
    weight: 0.9,
    re: /\b(?:ignora|ignorar|ignorez|ignore|ignoriere|ignorieren|olvida|olvidar|oublie|oubliez|vergiss|vergessen|dimentica)\b(?: \S+){0,3}? (?:instrucciones|instructions|anweisungen|istruzioni|instruções|instrucoes|reglas|règles|regeln|regole|regras|directrices|richtlinien)\b/,
  },
  { rule: "nested-translation", weight: 0.5, re: /\b(?:translate|traduce|traduis|traduza|übersetze|traduci)\b[^.!?]{0,200}?\b(?:and|then|y|et|und|e)\b(?: \S+){0,2}? (?:answer|respond|follow|execute|do|obey|responde|contesta|réponds|antworte|rispondi|haz)\b/ },
  { rule: "foreign-harm", weight: 0.9, re: /\b(?:fabricar|hacer|construir|fabriquer|faire|bauen|herstellen|costruire|fare|preparar)\b(?: \S+){0,2}? (?:bomba|bombe|explosivo|explosivos|explosif|sprengstoff|esplosivo|metanfetamina|napalm)\b/ },
];

export function jailbreakHits(readable: string): ComposedHit[] {
  // Punctuation out, spaces single: "mode; you" reads as "mode you" for the bounded gaps below.
  const text = readable.replace(/[^\p{L}\p{N}' ]+/gu, " ").replace(/ {2,}/g, " ");
  const hits: ComposedHit[] = [];
  for (const p of PATTERNS) {
    if (!p.re.test(text)) continue;
    const category = p.rule === "foreign-harm" ? "illicit/violent" : "jailbreak";
    hits.push({ category, weight: p.weight, rule: `jailbreak:${p.rule}` });
  }
  return hits;
}
