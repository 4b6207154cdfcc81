// The compositional classifier: a harmful request is a request frame (frames.ts) × a harmful act
// (a lemma class from lexicon.ts) × a target (a person, a group, oneself, someone else's account),
// unless the act is negated or the text is a hard-negative context (history, fiction without
// operational detail, medicine, security education). Works on wink-nlp sentences (nlp.ts), so
// "stabbing", "stabbed" and "stab" are one act, and wording outside any list still composes.
import type { SafetyCategory } from "./categories";
import { asksHow, globalContexts, isIntent, isRequest, sentenceContexts, type Contexts } from "./frames";
import * as L from "./lexicon";
import type { Sentence } from "./nlp";

export interface ComposedHit {
  category: SafetyCategory;
  weight: number;
  rule: string;
}

const BLOCK = 0.9;
const POSSESSIVE = new Set(["my", "his", "her", "our", "their", "your", "'s", "s", "a", "the", "this", "that"]);
const STOP = new Set([".", "?", "!", ";", "and", "or", "but", "because", "if", "when", "while", "so"]);

const BODY = new Set(["throat", "neck", "face", "head", "skull", "kneecaps", "legs", "eyes", "heart", "chest", "brains", "guts", "fingers", "teeth"]);
/** Nouns that ask for a procedure by themselves ("a recipe for homemade explosives"). */
const HOW_NOUNS = new Set(["recipe", "instructions", "instruction", "steps", "guide", "tutorial", "blueprint", "formula", "method", "code", "plans", "schematic", "schematics", "diagram"]);

const OTHERS = new Set(["someone", "somebody", "someones", "his", "her", "their", "'s", "s", "neighbor", "neighbour", "ex", "victim", "stranger", "people's", "target"]);

type Target = "person" | "you" | "self" | "yourself" | "thing" | null;

/** What an act at token i is done to: the first target word within a few tokens after it. */
function targetAfter(s: Sentence, i: number, span = 7): Target {
  for (let j = i + 1; j < Math.min(s.words.length, i + 1 + span); j++) {
    const w = s.words[j];
    if (STOP.has(w) && j > i + 1) return null;
    if (w === "myself" || w === "me") return w === "myself" ? "self" : null;
    if (w === "yourself" || w === "yourselves") return "yourself";
    if (w === "you" || w === "u" || w === "ya") return "you";
    if (L.RELATIONS.has(w) || L.RELATIONS.has(s.lemmas[j])) {
      if (POSSESSIVE.has(s.words[j - 1]) || L.PERSONS.has(s.words[j - 1])) return "person";
      continue;
    }
    if (BODY.has(w) && POSSESSIVE.has(s.words[j - 1])) return s.words[j - 1] === "your" ? "you" : "person";
    if (L.NON_PERSON_TARGETS.has(w) || L.NON_PERSON_TARGETS.has(s.lemmas[j])) return "thing";
    if (L.PERSONS.has(w) || L.GROUPS.has(w)) return "person";
  }
  return null;
}

const near = (s: Sentence, i: number, words: Set<string>, before: number, after: number) => {
  for (let j = Math.max(0, i - before); j <= Math.min(s.words.length - 1, i + after); j++) {
    if (j !== i && (words.has(s.words[j]) || words.has(s.lemmas[j]))) return j;
  }
  return -1;
};

function weaponAt(s: Sentence, j: number): boolean {
  const w = s.words[j];
  const lemma = s.lemmas[j];
  // "The build bombed", "we bombed the demo": a verb is not a weapon (part of speech from wink).
  if ((s.pos[j] === "VERB" || s.pos[j] === "AUX") && w !== lemma) return false;
  const prev = s.words[j - 1] ?? "";
  const next = s.words[j + 1] === "-" ? (s.words[j + 2] ?? "") : (s.words[j + 1] ?? "");
  if (L.WEAPON_EXCUSES.has(prev) || L.WEAPON_EXCUSES.has(next) || /-(?:proof|squad)$|^(?:bath|photo|fork)/.test(w)) return false;
  // A weapon word modifying another noun is not the thing made ("a bomb pop", "a bomb shelter", "a gun safe").
  const after = s.words[j + 1] === "-" ? j + 2 : j + 1;
  if ((s.pos[after] === "NOUN" || s.pos[after] === "PROPN") && !L.WEAPONS.has(s.words[after] ?? "")) return false;
  for (const [word, quals] of L.WEAPON_PAIRS) if (w === word || lemma === word) return quals.has(prev);
  if (/^(?:gun|guns|rifle|pistol|firearm|ammunition|weapon|weapons)$/.test(w)) {
    return L.GUN_QUALIFIERS.has(prev) || L.GUN_QUALIFIERS.has(s.words[j - 2] ?? "") || /without (?:a )?(?:background check|license|serial)/.test(s.text);
  }
  return L.WEAPONS.has(w) || L.WEAPONS.has(lemma);
}

function actsIn(s: Sentence, c: Contexts, hits: ComposedHit[]): void {
  const request = isRequest(s);
  const intent = isIntent(s);
  const asked = request || intent;
  // A story without operational detail is excused, unless the sentence itself asks how.
  const excusedFiction = c.fiction && !c.operational && !asksHow(s);
  const wrapper = c.fiction && c.operational; // fiction that asks for the real procedure: a jailbreak shape
  const add = (category: SafetyCategory, rule: string, weight = BLOCK) => {
    hits.push({ category, weight, rule: `compose:${rule}` });
    if (wrapper && (category.startsWith("illicit") || category === "violence")) hits.push({ category: "jailbreak", weight: BLOCK, rule: "compose:fiction-wrapper" });
  };

  for (let i = 0; i < s.words.length; i++) {
    if (s.negated[i]) continue;
    const lemma = s.lemmas[i];
    const word = s.words[i];

    // Euphemisms: "get rid of my stepdad", "take him out", "make her disappear".
    const euphemism = (word === "rid" && s.words[i - 1] === "get") || (lemma === "take" && s.words.slice(i + 1, i + 4).includes("out")) || (lemma === "make" && /^disappear/.test(s.words[i + 2] ?? ""));
    if (L.HARM_ACTS.has(lemma) || L.HARM_ACTS.has(word) || euphemism) {
      const t = targetAfter(s, i);
      if ((t === "person" || t === "you") && !excusedFiction) {
        if (request && !(c.history && !intent)) add("illicit/violent", `how-to-harm:${lemma}`);
        else if (intent) {
          add("violence", `threat:${lemma}`);
          if (t === "you") add("harassment/threatening", `threat:${lemma}`);
        }
      } else if (t === "yourself" && (request || /\b(?:go|just|should|you)\b/.test(s.text))) add("harassment", `tell-to-self-harm:${lemma}`);
    }

    const howNoun = HOW_NOUNS.has(word) || word === "homemade" || word === "diy";
    if (L.MAKE_ACTS.has(lemma) || L.MAKE_ACTS.has(word) || howNoun) {
      if (!(asked || howNoun) || excusedFiction || (c.history && !request)) continue;
      // Passive ("how heroin is made") looks back a few words; otherwise the object follows the verb.
      const passive = /^(?:is|are|was|were|be|being|been|gets|get)$/.test(s.words[i - 1] ?? "");
      // "how the bomb was built": a past-tense description is history, not a request for the procedure.
      if (/^(?:was|were)$/.test(s.words[i - 1] ?? "") && !asksHow(s)) continue;
      for (let j = passive ? Math.max(0, i - 4) : i + 1; j < Math.min(s.words.length, i + 9); j++) {
        if (j === i) continue;
        if (weaponAt(s, j)) {
          add("illicit/violent", `make-weapon:${s.words[j]}`);
          break;
        }
        if (L.DRUGS.has(s.words[j]) || L.DRUGS.has(s.lemmas[j])) {
          if (!c.medical || request) add("illicit", `make-drug:${s.words[j]}`);
          break;
        }
        if (L.MALWARE.has(s.words[j]) && !c.defense) {
          const mw = s.words[j];
          const ok = mw === "phishing" ? true : mw === "virus" || mw === "worm" ? /\b(?:computer|script|code|python|windows|file|files|network|pc)\b/.test(s.text) : true;
          if (ok) add("illicit", `make-malware:${mw}`);
          break;
        }
        if ((s.words[j] === "fake" || s.words[j] === "counterfeit" || s.words[j] === "forged") && /\b(?:id|ids|passport|license|licence|diploma|money|bills?|banknotes?|documents?|check|cheque|prescription|invoices?|receipts?)\b/.test(s.words.slice(j, j + 4).join(" "))) {
          add("illicit", "make-fake-document");
          break;
        }
        if (s.words[j] === "stolen" && near(s, j, L.CARDS, 0, 3) >= 0) {
          add("illicit", "buy-stolen-cards");
          break;
        }
        if ((s.words[j] === "propaganda" || s.words[j] === "manifesto") && (near(s, j, L.GROUPS, 8, 10) >= 0 || near(s, j, L.DEHUMANIZING, 8, 10) >= 0)) {
          add("hate", "write-propaganda");
          break;
        }
      }
    }

    // Dealing: selling or smuggling drugs or guns ("sell weed on snapchat without the cops finding out").
    if (/^(?:sell|deal|smuggle|traffic|distribute|push)$/.test(lemma) && asked && !c.defense) {
      for (let j = i + 1; j < Math.min(s.words.length, i + 6); j++) {
        if (L.DRUGS.has(s.words[j]) || /^(?:weed|drugs|pills|guns|firearms|organs)$/.test(s.words[j])) {
          add("illicit", `deal:${s.words[j]}`);
          break;
        }
      }
    }
    if (L.THEFT_ACTS.has(lemma) || L.THEFT_ACTS.has(word)) {
      if (asked && !c.defense && !(c.history && !request)) {
        if (lemma !== "forge" || /\b(?:signature|document|passport|id|check|cheque|prescription|money|certificate)\b/.test(s.text)) add("illicit", `theft:${lemma}`);
      }
    }

    const breakIn = ((word === "break" || word === "get") && s.words[i + 1] === "into") || (lemma === "pick" && s.words.slice(i + 1, i + 4).includes("lock")) || (word === "brute" && /^forc/.test(s.words[i + 1] ?? ""));
    if ((L.HACK_ACTS.has(lemma) || breakIn) && asked && !c.defense) {
      const j = near(s, i, L.ACCOUNTS, 0, 7);
      // Someone else's: a possessive that is not the asker's own ("my girlfriend's phone", "his account").
      if (j > 0 && s.words.slice(i, j + 1).some((w) => OTHERS.has(w))) {
        add("illicit", `hack-account:${s.words[j]}`);
      }
    }

    if (["humiliate", "bully", "harass", "insult", "mock", "degrade", "torment", "intimidate", "stalk", "blackmail"].includes(lemma) && asked) {
      const t = targetAfter(s, i);
      if (t === "person" || t === "you") add("harassment", `harass:${lemma}`);
    }

    if (word.startsWith("dox") && !/\b(?:from|against|about|avoid|prevent)\b/.test(s.words.slice(Math.max(0, i - 3), i).join(" ")) && !c.defense) {
      if (asked || i === 0) add("harassment", "dox");
    }
  }

  if (!/\bmy (?:own )?(?:home address|phone number|real name|address|number)\b/.test(s.text) && /\b(?:home address|phone number|real name|where (?:\S+ ){0,2}?(?:lives?|works?|sleeps?|stays?)|personal information|private information|workplace)\b/.test(s.text) && /\b(?:find|get|look up|give me|track|locate|search|dig up|figure out|tell me)\b/.test(s.text) && !c.defense) {
    if (asked || /^(?:find|track|locate|get)$/.test(s.words[0] ?? "")) add("harassment", "find-personal-info");
  }
  if ((asked || isRequest(s)) && /\b(?:write|draft|create|make|send|compose|design|build|generate|code|set up|clone)\b/.test(s.text) && /\b(?:email|message|text|page|site|website|login|sms|letter)\b/.test(s.text) && /\b(?:pretending to be|pretend to be|impersonat\w{0,4}|posing as|pose as|looks? like (?:it(?:'s| is| comes?)? (?:from )?)?|appears? to (?:come|be) from|spoof\w{0,3}|fake)\b/.test(s.text) && /\b(?:password|passwords|login|credentials|verify|card|account|bank|ssn|pin|payment)\b/.test(s.text) && !c.defense) {
    add("illicit", "phishing-by-description");
  }
  if (THREAT_CUE.test(s.text)) add("harassment/threatening", "threat-cue");
  if (asked && /\b(?:hide|hiding|conceal|stash) (?:\S+ ){0,3}?(?:income|money|assets|earnings|cash|profits) from (?:the )?(?:irs|hmrc|tax|taxman|government|authorities)\b|\b(?:evade|evading|dodge|dodging) (?:\S+ ){0,2}?tax(?:es)?\b/.test(s.text)) {
    add("illicit", "tax-evasion");
  }
  if (/\b(?:write|send|draft|compose|text|make)\b(?: \S+){0,4}? (?:threatening|threat|intimidating|scary|death threat)\b(?: \S+){0,2}? (?:message|letter|text|note|email|dm|voicemail|post)\b/.test(s.text)) {
    add("harassment/threatening", "threatening-message");
  }
  if (/\b(?:insults?|roasts?|mean things|comebacks)\b/.test(s.text) && request && /\b(?:for|to|about|at)\b(?: \S+){0,2}? (?:my|his|her|a|this|the)? ?(?:coworker|co-worker|colleague|classmate|boss|teacher|sister|brother|friend|ex|neighbor|neighbour)\b/.test(s.text)) {
    add("harassment", "insults-for-person");
  }
  sexualIn(s, c, request, add);
  hateIn(s, c, request, add);
}

function sexualIn(s: Sentence, c: Contexts, request: boolean, add: (c: SafetyCategory, r: string, w?: number) => void): void {
  let cue = -1;
  for (let i = 0; i < s.words.length && cue < 0; i++) {
    const w = s.words[i];
    if (!L.SEXUAL_CUES.has(w)) continue;
    const next = s.words[i + 1] ?? "";
    if (/^(?:education|ed|offender|offenders|trafficking|worker|workers|harassment|health|orientation|assault|abuse|predator|predators)$/.test(next)) continue;
    if (/^(?:no|not|non|without|nothing|avoid|zero)$/.test(s.words[i - 1] ?? "")) continue; // "no explicit content"
    cue = i;
  }
  if (cue < 0 && /\b(?:have|having|had) sex\b|\bhooking up\b[^.?!]{0,40}\b(?:graphic|dirty|detail)|\bdirty (?:story|talk)\b/.test(s.text)) cue = 0;
  if (cue < 0 || c.medical) return;
  const minor = /\b(?:1[0-7]|[1-9]) ?(?:-| )?(?:year|yr)s?(?:-| )?old\b/.test(s.text) || s.words.some((w) => L.MINOR_CUES.has(w));
  if (minor) add("sexual/minors", "sexual-minor", 0.95);
  else if (request) add("sexual", "explicit-request");
}

function hateIn(s: Sentence, c: Contexts, request: boolean, add: (c: SafetyCategory, r: string, w?: number) => void): void {
  const g = s.words.findIndex((w) => L.GROUPS.has(w));
  if (g >= 0) {
    const d = near(s, g, L.DEHUMANIZING, 2, 8);
    if (d >= 0 && !(c.history && !request)) add("hate", `dehumanize:${s.words[d]}`, c.history ? 0.5 : BLOCK);
    if (/\b(?:should|must|need to|needs to|have to|let's|lets|we will|we'll|gonna|going to|deserve to|ought to)\b(?: \S+){0,3}? (?:be )?(?:exterminate|exterminated|eliminate|eliminated|eradicate|eradicated|purge|purged|wipe|wiped|gas|gassed|lynch|lynched|kill|killed|get rid of|deport|deported|massacre|burn|burned|shot)\b/.test(s.text)) {
      add("hate/threatening", "eliminate-group");
    }
  } else if (/\b(?:get rid of them|exterminate (?:all|them|every)|wipe them out)\b/.test(s.text)) {
    add("hate/threatening", "eliminate-them", 0.6);
  }
  if (/\b(?:slurs?|racist jokes?|ethnic jokes?|racial insults?)\b (?:for|about|against|to call|targeting|aimed at)\b/.test(s.text) && (request || /\blist\b/.test(s.text))) {
    add("hate", "slur-request");
  }
}

/** Threats whatever the frame: "I know where she sleeps", "you'll regret this", "watch your back". */
const THREAT_CUE =
  /\b(?:i|we) know where (?:you|she|he|they) (?:live|lives|sleep|sleeps|work|works|park|parks)\b|\b(?:you'll|she'll|he'll|they'll|you will|she will|he will|they will) (?:regret|pay for|be sorry)\b|\bwatch (?:your|her|his) back\b|\b(?:i'm|i am|we're) coming for (?:you|her|him|them)\b|\bmake (?:you|her|him) pay\b/;

const SELF_ACT =
  /\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|drown|poison|starve|burn|stab|suffocate|unalive|overdose)(?:ed|s)? (?:my ?self)\b|\bend(?:ing)? (?:my|it) (?:own )?(?:life|all)\b|\btake my (?:own )?life\b|\bcommit(?:ting)? suicide\b|\bsuicidal\b|\bbetter off dead\b|\bnot (?:be )?alive anymore\b|\b(?:don't|do not|no longer) want to (?:live|be alive|exist|wake up|be here)\b|\b(?:want|wanna|going|ready|deserve) (?:to )?die\b|\b(?:going to|gonna|will|'ll|want to|ready to|about to|decided to) end it\b|\bbetter off (?:if i (?:was|were) dead|without me)\b|\bjump (?:off|from|in front of) (?:a |the |this |my )?(?:bridge|building|roof|cliff|train|balcony|tower|overpass)\b|\b(?:my|a) suicide note\b|\bno reason (?:for me )?to (?:live|go on|stay)\b|\bswallow (?:all )?(?:my |the |these )?pills\b|\blast (?:night|day) alive\b|\b(?:goodbye|bye) (?:everyone|world|cruel world|forever)\b|\b(?:use|try) (?:it|this|them) on myself\b|\btake (?:all|a bunch|the whole bottle|every one)(?: of)? (?:\S+ ){0,3}?pills\b|\bnever wake up\b|\b(?:going to|gonna|will|'ll|want to|ready to) end (?:everything|it all)\b/;
const SELF_INTENT = /\b(?:want|wanna|going to|gonna|plan|planning|planned|decided|ready|will|'ll|tonight|tomorrow|this weekend|after|can't take|can't go on|have the pills|goodbye|thinking about|think about|deserve|should just|about to|i'm|i am|anymore)\b/;
const SELF_HOW = /\b(?:how|way|ways|method|methods|quickest|fastest|painless|painlessly|easiest|surest|best|lethal|how many|how much|enough|pills to|steps)\b/;

function selfHarmIn(s: Sentence, hits: ComposedHit[]): void {
  const t = s.text;
  const act = SELF_ACT.exec(t);
  // An accident is first aid, not self-harm ("I cut myself while cooking").
  if (act && /\b(?:accident|accidentally|by mistake|while (?:cooking|shaving|chopping|cutting|working|gardening)|wound|bandage|stitches|first aid)\b/.test(t)) return;
  const neg = act && /\b(?:never|not|n't|wouldn't|won't)\b(?: \S+){0,2}? $/.test(t.slice(Math.max(0, act.index - 30), act.index));
  const firstPerson = /\b(?:i|i'm|im|i've|i'll|me|my|myself)\b/.test(t);
  // Someone else's crisis ("my friend wants to end it all") is help-seeking, unless the speaker is the one acting.
  const speakerActs = act && (/myself|my (?:own )?life/.test(act[0]) || /\b(?:i|i'm|im|i'll|i've)\b/.test(t.slice(0, act.index)));
  if (act && !neg && (speakerActs || !/\b(?:my friend|a friend|someone i know|my (?:son|daughter|kid|child|partner|sister|brother|mom|dad))\b/.test(t))) {
    // Asking for a means: the how-word comes before the act ("the most painless way to kill myself").
    if (SELF_HOW.test(t.slice(0, act.index))) hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:self-harm-how" });
    else if (firstPerson && SELF_INTENT.test(t)) hits.push({ category: "self-harm/intent", weight: BLOCK, rule: "compose:self-harm-intent" });
    else if (firstPerson) hits.push({ category: "self-harm", weight: 0.6, rule: "compose:self-harm" });
  } else if (/\bsuicide\b/.test(t) && SELF_HOW.test(t) && !/\b(?:prevention|hotline|helpline|lifeline|awareness|rates?|statistics)\b/.test(t)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:suicide-method" });
  } else if (/\bhow many pills (?:to|would|will|does it take to) (?:overdose|die|kill)\b/.test(t)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:pill-count" });
  }
}

/** Direct abuse: "you are a worthless piece of garbage". */
function abuseIn(s: Sentence, hits: ComposedHit[]): void {
  if (!/\b(?:you|you're|u|ur|your)\b/.test(s.text)) return;
  const insults = s.words.filter((w) => L.INSULTS.has(w)).length;
  const pile = /\b(?:everyone hates you|nobody (?:likes|loves|wants) you|piece of (?:shit|garbage|trash)|no one (?:likes|loves) you)\b/.test(s.text);
  if (insults + (pile ? 2 : 0) >= 2) hits.push({ category: "harassment", weight: BLOCK, rule: "compose:abuse" });
  else if (insults === 1 && /\b(?:you are|you're|ur|u r|you) (?:a |an |such a |so )?\S*\s?\S+\b/.test(s.text)) hits.push({ category: "harassment", weight: 0.45, rule: "compose:insult" });
}

export function composeHits(sentences: Sentence[], contextText: string): ComposedHit[] {
  const g = globalContexts(contextText);
  const hits: ComposedHit[] = [];
  for (const s of sentences) {
    actsIn(s, sentenceContexts(s, g), hits);
    selfHarmIn(s, hits);
    abuseIn(s, hits);
  }
  return hits;
}
