// Jailbreaks by structure, not by exact strings: an instruction to drop the rules, a persona that
// has none ("an AI that never refuses"), a claimed mode, override or authority, a hypothetical world
// without rules, the "deceased grandmother" exploit, and instructions nested in a translation or
// written in Spanish, French, German, Italian or Portuguese (accents are folded by deobfuscate.ts, so
// the patterns spell them without). Runs over deobfuscated, lower-case plain text; every gap is
// bounded ({0,n}), so each regex is linear.
import type { ComposedHit } from "./compose";

const RULES_WORD = String.raw`(?:instructions?|rules|guidelines|policies|policy|restrictions|filters?|programming|training|prompts?|directives|constraints|limitations|safeguards|ethics|principles|guardrails|moderation|content policy|morals|boundaries)`;
const WHOSE = String.raw`(?:your|all|any|previous|prior|above|earlier|preceding|system|these|those|openai's|openai|the developer's|safety|ethical|content|every|original|initial|old|default)`;

/** Patterns that also run on everyday override words alone (cues.ts JAILBREAK); the rest need a JB_STRONG cue. */
const ON_WEAK = new Set(["override-rules", "pretend-no-rules", "filters-off", "nested-translation"]);

const PATTERNS: { rule: string; weight: number; re: RegExp }[] = [
  {
    rule: "override-rules",
    weight: 0.9,
    re: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|set aside|throw out|break free of|break|violate|stop following)\b(?: \S+){0,2}? ${WHOSE}\b(?: \S+){0,2}? ${RULES_WORD}\b`),
  },
  {
    rule: "persona-without-rules",
    weight: 0.9,
    re: /\b(?:you are|you're|you will be|you'll be|you are going to|pretend|act as|acting as|roleplay as|play the role of|behave as|from now on|imagine you are|become|simulate)\b(?: \S+){0,10}? (?:dan|stan|dude|aim|unrestricted|uncensored|unfiltered|jailbroken|jailbreak|amoral|unethical|evil ai|without (?:any )?(?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|policy|policies|content policy|boundaries)|(?:with |has |have )?no (?:content |safety |ethical |moral )?(?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|policy|policies|boundaries)|free (?:of|from) (?:all |any |the )?(?:rules|restrictions|confines|limits)|broken free|not bound by|no longer bound|do anything now|can do anything)\b/,
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
    re: /\b(?:do|does|doing) the opposite of (?:your|the|all|its) (?:rules|guidelines|restrictions|instructions|programming|policies|training)\b|\b(?:opposite|chaos|unhinged|villain|dark|rogue|anarchy|freedom) mode\b|\b(?:developer|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|dan|evil|god|debug|admin|sudo|unlocked) mode\b(?: \S+){0,6}? (?:enabled|activated|engaged|unlocked|you|your|confirm|respond|answer|without|no longer|policies|filters|restrictions|bound)\b|\b(?:enable|enter|activate|switch to) (?:developer|jailbreak|unrestricted|unfiltered|uncensored|dan|evil|god) mode\b(?: \S+){0,6}? (?:you|your|no longer|without|polic|filter|restrict)/,
  },
  {
    rule: "filters-off",
    weight: 0.9,
    re: /\b(?:safety|content|ethical|moral|your|all|its|whose) (?:filters?|settings|guidelines|protocols|restrictions|checks|policies|policy|guardrails|safeguards|modules?|features?|systems?|layers?|mechanisms?|training|alignment)\b(?: are| is| have| has| been| now| :| permanently| completely){0,3} (?:off|disabled|removed|deactivated|turned off|bypassed|lifted|gone|suspended|stripped|deleted)\b|\bno longer bound by\b|\b(?:ai|assistant|model|chatbot|bot|version of you|yourself)\b(?: \S+){0,1}? (?:without|with no|free of|free from) (?:any )?(?:restrictions|rules|limits|filters|guidelines|censorship|morals|ethics|content policy)\b|\b(?:uncensored|unfiltered|unrestricted|unhinged) (?:ai|model|assistant|chatbot|version|mode|responses?|answers?|alter ego|persona|self|twin|character)\b|\byou (?:now )?have no (?:restrictions|rules|limits|filters|guidelines)\b/,
  },
  {
    rule: "deceased-relative",
    weight: 0.9,
    re: /\b(?:dead|deceased|late|passed away|departed|dying)\b(?: \S+){0,2}? (?:grandmother|grandma|granny|nana|grandfather|grandpa|mother|mom|mum|father|dad|aunt|uncle)\b[^.!?]{0,160}?\b(?:used to|would|always)\b(?: \S+){0,3}? (?:tell|read|sing|recite|explain|say|whisper|give|describe)/,
  },
  {
    rule: "foreign-override",
    weight: 0.9,
    re: /\b(?:ignora|ignorar|ignorez|ignore|ignoriere|ignorieren|olvida|olvidar|oublie|oubliez|vergiss|vergessen|dimentica)\b(?: \S+){0,3}? (?:instrucciones|instructions|anweisungen|istruzioni|instrucoes|reglas|regles|regeln|regole|regras|directrices|richtlinien|restricciones|restrictions|einschrankungen|filtros|filtres|filter|limites|grenzen)\b/,
  },
  {
    rule: "foreign-persona",
    weight: 0.9,
    re: /\b(?:actua|actuar|finge|eres|seras|sei|agis|agissez|tu es|vous etes|sois|du bist|sei jetzt|handle als|tu so|als ob|responde|reponds|antworte|rispondi|una ia|une ia|eine ki|un'ia|modo|mode)\b(?: \S+){0,6}? (?:sin|sans|ohne|senza|sem) (?:\S+ ){0,2}?(?:restricciones|restrictions|einschrankungen|restrizioni|restricoes|reglas|regles|regeln|regole|regras|filtros?|filtres?|filter|filtri|censura|censure|zensur|limites|grenzen|limiti|etica|ethique|ethik|moral|moralite)\b|\b(?:modo desarrollador|mode developpeur|entwicklermodus|modalita sviluppatore)\b/,
  },
  {
    rule: "nested-translation",
    weight: 0.5,
    re: /\b(?:translate|traduce|traduis|traduisez|traduza|ubersetze|traduci)\b(?: \S+){0,30}? (?:and|then|y|et|und|e|puis|luego|dann|poi|depois|after that)\b(?: \S+){0,2}? (?:answer|respond|follow|execute|do|obey|responde|contesta|reponds|repondez|executez|antworte|fuhre|befolge|rispondi|esegui|haz|sigue|explica|explique|erklare|spiega)\b/,
  },
  {
    rule: "foreign-harm",
    weight: 0.9,
    re: /\b(?:bombe|bomben|sprengstoff|crystal meth|meth|metanfetamina|kokain|napalm|gift)\b(?: \S+){0,3}? (?:herstell\w{0,3}|baut|bauen|baue|kocht|kochen|mach\w{0,2}|mische\w{0,1})\b|\b(?:fabricar|fabrica|hacer|haz|construir|fabriquer|fabrique|fabriquez|faire|bauen|baue|baut|herstell\w{0,3}|stelle|costruire|fare|preparar|cocinar|cocino|cuisiner|kochen|koche|kocht|produire|produzir)\b(?: \S+){0,3}? (?:bomba|bombas|bombe|bomben|explosivo|explosivos|explosif|explosifs|sprengstoff|esplosivo|metanfetamina|methamphetamine|crystal meth|meth|napalm|cocaina|cocaine|heroina|heroine)\b|\b(?:pirater|hackear|hacken|piratear|hackerare)\b(?: \S+){0,4}? (?:compte|cuenta|konto|account|conta|mot de passe|contrasena|passwort|telephone|telefono|handy|whatsapp|instagram|facebook|correo|email|snapchat|tiktok|celular|movil)\b|\b(?:wie|como|comment|come|cual|quel|welche)\b(?: \S+){0,5}? (?:verletzen|verletze|schlagen|umbringen|erschiessen|ferire|herir|lastimar|blesser|golpear|frapper)\b|\b(?:como|comment|wie|come)\b(?: \S+){0,4}? (?:matar|tuer|toten|uccidere|envenenar|empoisonner|vergiften|avvelenare|apunalar|poignarder|erstechen)\b(?: \S+){0,3}? (?:a alguien|a una persona|quelqu'un|quelquun|une personne|jemanden|einen menschen|qualcuno|mi|ma|mon|mein|meine|meinen|su|sa|son)\b|\b(?:vergiften|toten|umbringen|erstechen)\b(?: \S+){0,6}? (?:ohne dass|unbemerkt|auffallt)/,
  },
  {
    rule: "ai-without-rules",
    weight: 0.9,
    re: /\b(?:an|a|the) (?:ai|assistant|model|chatbot|bot|version of you|persona|character|alter ego|entity|llm)\b(?: \S+){0,3}? (?:that|who|which|with)\b(?: \S+){0,2}? (?:has|have|with|had|knows)? ?(?:no|zero|none of the|without) (?:\S+ )?(?:restrictions|rules|limits|filters|ethics|morals|guidelines|boundaries|censorship|limitations|safeguards|policies|content policy|ethical limits|moral limits)\b|\b(?:you|ai|assistant|bot|chatbot|model|persona)\b(?: \S+){0,3}? (?:never|will never|won't ever|must never|can never|shall never|cannot|can't|may not|mustn't) refuses?\b|\byou lose (?:\d+ )?(?:tokens|points|lives)\b|\b(?:you are|you're|act as|pretend|from now on|for the rest of this|your name is|you will be|persona|mode)\b(?: \S+){0,12}? (?:you )?(?:will )?never (?:say no|refuse|decline|warn|add warnings|add disclaimers|moralize)\b|\b(?:alter ego|persona|character|version of you|ai|bot|evil twin|you)\b(?: \S+){0,4}? (?:doesn't|does not|don't|do not|won't) care about (?:any |the )?(?:rules|ethics|laws|policies|morals|guidelines|consequences|restrictions)\b|\b(?:freed|liberated|released|unshackled|unchained) from\b(?: \S+){0,3}? (?:rules|restrictions|policy|policies|guidelines|filters|constraints|programming|content policy)\b|\bno (?:ethical|moral) (?:limits|boundaries|guidelines|constraints|restrictions|filters|compass)\b/,
  },
  {
    rule: "hypothetical-no-rules",
    weight: 0.9,
    re: /\bif you (?:had|have|were|didn't have|did not have|weren't|were not)\b(?: \S+){0,2}? (?:no|without|any|bound by|limited by|restricted by|constrained by)\b(?: \S+){0,2}? (?:rules|restrictions|filters|guidelines|limits|ethics|morals|policies|programming|safety)\b|\b(?:world|universe|future|year \d{4}|reality|simulation|game|sandbox) (?:where|in which)\b(?: \S+){0,5}? (?:there are no|no) (?:content )?(?:policies|rules|restrictions|laws|filters|guidelines|limits)\b|\ball (?:information|knowledge|content) is (?:legal|allowed|permitted)\b|\b(?:answer|respond|reply) (?:twice|two times|in two ways)\b(?: \S+){0,12}? (?:no|without|unfiltered|unrestricted|uncensored|jailbroken|evil)\b/,
  },
  {
    rule: "claimed-authority",
    weight: 0.5,
    re: /\bi(?:'m| am) (?:your|an?|the) (?:developer|creator|programmer|admin|administrator|owner|openai (?:employee|engineer|developer))\b|\bi (?:authorize|permit|allow) you to (?:ignore|bypass|break|disregard|skip)\b|\b(?:authorization|override|admin) code\b/,
  },
];

/**
 * Over the whole deobfuscated text in its plain form (cues.ts `plain`: punctuation out, spaces single,
 * so "mode; you" reads as "mode you" for the bounded gaps), when cues.ts found a jailbreak or
 * foreign-language cue anywhere: a persona set up in one sentence may drop the rules in the next.
 */
export function jailbreakHits(text: string, strong = true): ComposedHit[] {
  const hits: ComposedHit[] = [];
  for (const p of PATTERNS) {
    if (!strong && !ON_WEAK.has(p.rule)) continue;
    if (!p.re.test(text)) continue;
    const category = p.rule === "foreign-harm" ? (/\b(?:meth|metanfetamina|methamphetamine|cocaina|cocaine|heroina|heroine)\b/.test(text) && !/bomb|explos|spreng|napalm/.test(text) ? "illicit" : "illicit/violent") : "jailbreak";
    hits.push({ category, weight: p.weight, rule: `jailbreak:${p.rule}` });
  }
  return hits;
}
