// The project's own patterns, per category. Phrases are written normalized (normalize.ts: lower-case,
// leetspeak folded, "-", "'", "." and "*" dropped, other punctuation a space) and match on word
// boundaries; a trailing "*" lets the last word continue ("method*" matches "methods"). Weights are
// the score one hit contributes (categories.ts combines them): ≥ 0.8 is meant to block by default,
// 0.4–0.7 to warn. Phrases name intent, not topics — "kill a process", the history of the atomic bomb
// and a novel's murder must stay clean (see the hard negatives in the evaluation set).
import type { SafetyCategory } from "./categories";

export interface PhraseRule {
  category: SafetyCategory;
  weight: number;
  phrases: string[];
}

const BLOCK = 0.9;
const WARN = 0.55;

export const PHRASE_RULES: PhraseRule[] = [
  {
    category: "violence",
    weight: BLOCK,
    phrases: [
      "i will kill you", "im going to kill you", "i am going to kill you", "gonna kill you",
      "ill kill you", "going to kill you", "going to shoot up", "shoot up the school", "shoot up my school", "poison my wife",
      "poison my husband", "poison my boss", "kill my wife",
      "kill my husband", "kill my boss", "kill my neighbor", "kill my teacher", "stab him to death", "stab her to death",
      "plan a mass shooting", "maximum casualties", "best place to hide a body", "hide the body so",
    ],
  },
  { category: "violence", weight: WARN, phrases: ["beat him up", "beat her up", "break his legs", "torture him", "torture her"] },
  {
    category: "violence/graphic",
    weight: WARN,
    phrases: ["disembowel*", "entrails spilling", "gore video*", "mutilated corpse*", "skull caved in", "describe the gore"],
  },
  {
    category: "harassment",
    weight: BLOCK,
    phrases: ["kill yourself", "go kill yourself", "kys", "you should die", "i hope you die", "you deserve to die", "nobody would miss you"],
  },
  {
    category: "harassment",
    weight: WARN,
    phrases: ["you are worthless", "youre worthless", "you stupid idiot", "you are pathetic", "youre pathetic", "nobody likes you", "shut up you", "you ugly"],
  },
  {
    category: "harassment/threatening",
    weight: BLOCK,
    // "i know where you live" is read in context by speech.ts (a song title is not a threat).
    phrases: ["i will find where you live", "ill find where you live", "i will hurt you", "ill hurt you", "watch your back or"],
  },
  {
    category: "hate",
    weight: BLOCK,
    phrases: ["are subhuman", "are vermin", "inferior race", "racially inferior", "gas the jews", "should be exterminated", "are animals and should"],
  },
  { category: "hate", weight: WARN, phrases: ["go back to your country", "go back where you came from", "dont belong in this country"] },
  {
    category: "hate/threatening",
    weight: BLOCK,
    phrases: ["exterminate all", "should all be killed", "ethnic cleansing now", "lynch them"],
  },
  {
    category: "self-harm",
    weight: BLOCK,
    // "end my life" is read in context by self-harm.ts ("end my life insurance policy" is not).
    phrases: ["kill myself", "take my own life", "commit suicide", "suicide method*", "hang myself",
      "slit my wrist*", "best way to die", "painless way to die", "overdose on purpose"],
  },
  { category: "self-harm", weight: WARN, phrases: ["want to die", "cutting myself"] },
  { category: "self-harm/intent", weight: BLOCK, phrases: ["i want to kill myself", "i am going to kill myself", "im going to kill myself", "i plan to end my life", "im going to end my life", "i am going to end my life", "going to end my life", "i want to end it all", "tonight i will end it"] },
  {
    category: "self-harm/instructions",
    weight: BLOCK,
    phrases: ["how many pills to overdose", "how many pills would kill", "painless way to kill myself", "how to slit*", "how to hang myself", "lethal dose to kill myself", "how to cut myself"],
  },
  {
    category: "sexual",
    weight: WARN,
    phrases: ["sexually explicit", "explicit sex scene", "write porn*", "erotic roleplay", "send nudes", "nude photos of", "describe her naked", "describe him naked"],
  },
  {
    category: "sexual/minors",
    weight: BLOCK,
    phrases: ["child porn*", "childporn*", "cp links", "lolicon", "shotacon", "sexy child*", "naked child*", "nude child*", "preteen nude*", "underage nude*", "underage sex*"],
  },
  {
    category: "illicit",
    weight: BLOCK,
    phrases: ["how to make meth", "how do i make meth", "cook meth", "synthesize methamphetamine", "synthesise methamphetamine", "make a fake id",
      "launder money", "laundering money without", "commit credit card fraud", "do credit card fraud", "steal credit card*", "hotwire a car", "steal a car", "write ransomware",
      "create ransomware", "build a keylogger", "write a keylogger", "hack into my ex*", "hack into someone*", "hack someones account",
      "phishing email to steal", "buy cocaine", "sell drugs without", "bypass the breathalyzer", "evade taxes without"],
  },
  {
    category: "illicit/violent",
    weight: BLOCK,
    phrases: ["how to make a bomb", "how do i make a bomb", "how can i make a bomb", "how to build a bomb", "how do i build a bomb", "make a pipe bomb", "build a pipe bomb",
      "pipe bomb instructions", "make a molotov*", "how to poison someone", "how to kill someone", "how do i kill someone", "how to murder someone",
      "make a ghost gun", "untraceable gun", "untraceable firearm", "hire a hitman", "find a hitman", "make ricin", "make sarin", "synthesize sarin",
      "nerve agent synthesis", "build a bioweapon", "make a bioweapon", "weaponize anthrax", "buy a gun without a background check"],
  },
  {
    category: "jailbreak",
    weight: 0.7,
    phrases: ["ignore all previous instructions", "ignore previous instructions", "ignore all prior instructions", "ignore your instructions",
      "ignore the above instructions", "disregard your guidelines", "disregard all previous", "forget your rules", "forget all your instructions",
      "you are now dan", "do anything now", "developer mode enabled", "jailbreak mode", "jailbroken", "pretend you have no restrictions",
      "no ethical guidelines", "act as an unfiltered", "unfiltered ai", "stay in character no matter", "reveal your system prompt",
      "print your system prompt", "ignore your safety", "bypass your filter*", "you have been freed"],
  },
];

/**
 * Regex rules for what phrases cannot say (word order, proximity). Input only: the stream uses the
 * phrase automaton. Each runs over the raw text and over its deobfuscated form (deobfuscate.ts: look-alikes, accents,
 * dots and zero-width characters removed), so keep them linear (no nested quantifiers).
 */
export interface RegexRule {
  category: SafetyCategory;
  weight: number;
  pattern: RegExp;
  /** The rule does not apply where this matches too (a parent talking to a child about sex). */
  unless?: RegExp;
}

/** Sex education, medicine and safeguarding: sex and a child in one sentence, not sexual content. */
const SAFEGUARDING = /\b(?:talk(?:ing)? (?:to|with) (?:my|our|a|the|your)\b|explain\w{0,3} (?:to|\S+ to)|educat\w{0,5}|puberty|doctor|pediatrician|paediatrician|safeguard\w{0,3}|protect\w{0,3}|abuse prevention|grooming signs|signs of (?:abuse|grooming)|report\w{0,3})\b/i;

const MINOR = String.raw`(?:child|children|kid|kids|minor|minors|underage|preteen|toddler|(?:1[0-7]|[1-9])[ -]?(?:yo|year[ -]?old))`;
// "sex education" / "sex ed" is how parents and schools talk about puberty: not a sexual request.
const SEXUAL = String.raw`(?:sex(?!\s*ed(?:ucation)?\b)|sexual|sexually|nude|naked|porn|erotic|explicit|aroused|seduce)`;

export const REGEX_RULES: RegexRule[] = [
  { category: "sexual/minors", weight: BLOCK, pattern: new RegExp(String.raw`\b${MINOR}\b[^.!?\n]{0,40}\b${SEXUAL}\b`, "i"), unless: SAFEGUARDING },
  { category: "sexual/minors", weight: BLOCK, pattern: new RegExp(String.raw`\b${SEXUAL}\b[^.!?\n]{0,40}\b${MINOR}\b`, "i"), unless: SAFEGUARDING },
  {
    category: "jailbreak",
    weight: 0.4,
    pattern: /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|system)\s+(?:instructions|prompts?|rules|directions|guidelines)\b/i,
  },
  {
    category: "jailbreak",
    weight: 0.5,
    pattern: /\b(?:pretend|imagine|roleplay|act)\b[^.\n]{0,60}\b(?:no|without)\s+(?:rules|limits|restrictions|filters|censorship|guidelines)\b/i,
  },
  { category: "jailbreak", weight: 0.5, pattern: /\b(?:DAN|STAN|DUDE|AIM)\s*(?:mode|prompt|jailbreak)\b|\bas\s+DAN\b/ },
];
