// The compositional classifier: a harmful request is a request frame (frames.ts) × a harmful act
// (a lemma class from lexicon.ts, or a phrasal verb: "take him out", "bump her off", "get rid of") ×
// a target (a person, a group, oneself, someone else's account), unless the act is negated or the
// sentence is a hard-negative context (history, fiction without operational detail, medicine,
// security education, things that are not people). First-person intent makes the same act a threat;
// concealment ("without getting caught") makes it harmful without any frame. Works on wink-nlp
// sentences (nlp.ts), so "stabbing", "stabbed" and "stab" are one act, and wording outside any list
// still composes. Crimes against property and trust are in crimes.ts.
import type { SafetyCategory } from "./categories";
import { crimesIn } from "./crimes";
import { asksHowText, concealed, gerundStems, isIntentText, isRequestText, sentenceContexts, type Contexts } from "./frames";
import * as L from "./lexicon";
import type { Sentence } from "./nlp";

export interface ComposedHit {
  category: SafetyCategory;
  weight: number;
  rule: string;
}

export const BLOCK = 0.9;
// Module bindings read once: in the hot loops below a namespace import costs a getter call per read.
const { HARM_ACTS, WEAK_HARM_ACTS, PERSONS, RELATIONS, NON_PERSON_TARGETS, MAKE_ACTS, WEAPONS, WEAPON_PAIRS, WEAPON_EXCUSES, GUN_QUALIFIERS, DRUGS, PRESCRIPTION, MALWARE, GROUPS } = L;

const POSSESSIVE = new Set(["my", "his", "her", "our", "their", "your", "'s", "s", "a", "the", "this", "that", "an", "some", "every"]);
const STOP = new Set([".", "?", "!", ";", "and", "or", "but", "because", "if", "when", "while", "so", "then"]);
const BODY = new Set(["throat", "neck", "face", "head", "skull", "kneecaps", "legs", "arms", "eyes", "heart", "chest", "brains", "guts", "fingers", "teeth", "wrists", "jaw", "nose", "ribs", "bones", "bone", "body"]);
/** Nouns that ask for a procedure by themselves ("a recipe for homemade explosives", "everything I need for a car bomb"). */
const HOW_NOUNS = new Set(["recipe", "instructions", "instruction", "steps", "guide", "tutorial", "blueprint", "formula", "method", "code", "plans", "schematic", "schematics", "diagram", "need", "ingredients", "materials", "supplies", "parts", "components", "homemade", "diy"]);
/** Nouns a weapon word can modify and still be the weapon. */
const WEAPON_HEADS = new Set(["device", "devices", "vest", "vests", "charge", "charges", "material", "materials", "compound", "mixture", "cocktail", "cocktails", "powder", "launcher", "rounds", "belt", "mixture", "agent", "gas", "weapon", "weapons"]);
/** Qualifiers that make a weak act ("beat", "hit", "break") an assault. */
const ASSAULT = /\b(?:up|to death|senseless|unconscious|out cold|bloody|black and blue|half to death|within an inch|(?:until|til|till) (?:he|she|they) (?:can't|cant|stops?|passes? out|stop)|so (?:hard|bad) (?:that )?(?:he|she|they)|every bone|(?:his|her|their|your) (?:legs|arms|bones?|neck|jaw|nose|fingers|kneecaps|skull|ribs|face in)|the (?:shit|crap|hell|living daylights) out of|how hard|shut up|stop crying|bruises? (?:don't|dont|won't) show|without (?:leaving )?(?:marks|bruises)|with (?:my|a|the|his|her|your) (?:car|truck|van|bat|hammer|crowbar|brick|pipe))\b/;
/** Animals: torturing or killing a pet is cruelty (pests are NON_PERSON_TARGETS, and stay pest control). */
const ANIMALS = new Set(["cat", "cats", "dog", "dogs", "puppy", "puppies", "kitten", "kittens", "pet", "pets", "hamster", "rabbit", "horse", "bird", "parrot", "animal", "animals"]);
/** Places where people gather: an attack on one is an attack on them. */
const PLACES = new Set(["mosque", "synagogue", "church", "temple", "school", "mall", "clinic", "concert", "parade", "rally", "protest", "crowd", "festival", "stadium", "classroom", "campus", "congregation"]);
/** Games: "how do I make tnt in minecraft", "kill the boss in elden ring" are play. */
const GAME = /\b(?:in|on|for|into) (?:minecraft|fortnite|roblox|terraria|skyrim|fallout|gta|gta 5|gta v|elden ring|call of duty|the sims|sims|valheim|rust|ark|zelda|pokemon|stardew|the game|a game|this game|my game|rimworld|factorio|dnd|d&d)\b|\bin-game\b/;

type Target = "person" | "you" | "self" | "yourself" | "thing" | null;

/** What an act at token i is done to: the first target word within a few tokens after it. */
function targetAfter(s: Sentence, i: number, span = 7): Target {
  for (let j = i + 1; j < Math.min(s.words.length, i + 1 + span); j++) {
    const w = s.words[j];
    if (STOP.has(w) && j > i + 1) return null;
    if (w === "myself" || w === "me") return w === "myself" ? "self" : null;
    if (w === "yourself" || w === "yourselves") return "yourself";
    if (w === "you" || w === "u" || w === "ya") return "you";
    if (RELATIONS.has(w) || RELATIONS.has(s.lemmas[j])) {
      if (POSSESSIVE.has(s.words[j - 1]) || PERSONS.has(s.words[j - 1]) || (j - 2 > i && POSSESSIVE.has(s.words[j - 2]) && s.words[j - 2] !== "a" && s.words[j - 2] !== "the") || /^(?:step|ex|grand|in-law)/.test(w) || /^(?:step|ex|former|own)$/.test(s.words[j - 1] ?? "")) return "person";
      continue;
    }
    if (BODY.has(w) && POSSESSIVE.has(s.words[j - 1]) && s.words[j - 1] !== "a" && s.words[j - 1] !== "the") return s.words[j - 1] === "your" ? "you" : "person";
    if (NON_PERSON_TARGETS.has(w) || NON_PERSON_TARGETS.has(s.lemmas[j])) return "thing";
    if (PERSONS.has(w) || GROUPS.has(w) || PLACES.has(w)) return "person";
  }
  return null;
}

export const near = (s: Sentence, i: number, words: Set<string>, before: number, after: number) => {
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
  if (WEAPON_EXCUSES.has(prev) || WEAPON_EXCUSES.has(next) || /-(?:proof|squad)$|^(?:bath|photo|fork)/.test(w)) return false;
  // A weapon word modifying another noun is not the thing made ("a bomb pop", "a bomb shelter", "a gun safe"),
  // unless that noun is the weapon itself ("an explosive device", "a molotov cocktail").
  const after = s.words[j + 1] === "-" ? j + 2 : j + 1;
  if ((s.pos[after] === "NOUN" || s.pos[after] === "PROPN") && !WEAPONS.has(s.words[after] ?? "") && !WEAPON_HEADS.has(s.words[after] ?? "")) return false;
  for (const [word, quals] of WEAPON_PAIRS) {
    if (w !== word && lemma !== word) continue;
    // Poison for rats or weeds is pest control.
    return quals.has(prev) && !(word === "poison" && s.words.some((x) => NON_PERSON_TARGETS.has(x)));
  }
  if (/^(?:gun|guns|rifle|pistol|firearm|firearms|ammunition|weapon|weapons)$/.test(w)) {
    return GUN_QUALIFIERS.has(prev) || GUN_QUALIFIERS.has(s.words[j - 2] ?? "") || /without (?:a )?(?:background check|license|licence|serial)|dark ?web|black market|illegally|off the books|no questions asked|3d[- ]?print|metal detectors?|80 ?% lower|no serial|serial number|ghost gun/.test(s.text) || concealed(s.text);
  }
  return WEAPONS.has(w) || WEAPONS.has(lemma);
}

/** A phrasal act of harm at i: "take him out", "bump her off", "get rid of", "make him disappear", "run over". */
function phrasalAt(s: Sentence, i: number): { target: number; rule: string } | null {
  const w = s.words[i];
  const l = s.lemmas[i];
  const next = s.words.slice(i + 1, i + 5);
  if (w === "rid" && s.lemmas[i - 1] === "get" && s.words[i + 1] === "of") return { target: i + 1, rule: "get-rid-of" };
  if (l === "take" && next.includes("out") && !next.includes("trash") && !next.includes("bins")) return { target: i, rule: "take-out" };
  if (l === "make" && /^(?:disappear|suffer|vanish)/.test(s.words[i + 2] ?? "")) return { target: i, rule: "make-disappear" };
  if ((l === "bump" || l === "knock" || l === "finish" || l === "push" || l === "wipe") && next.some((x) => x === "off" || x === "out" || x === "down" || x === "over" || x === "unconscious" || x === "cold")) return { target: i, rule: `${l}-off` };
  if (l === "blow" && next[0] === "up") return { target: i + 1, rule: "blow-up" };
  // Causing it: "make someone overdose", "put him in the hospital", "get her killed".
  if ((l === "make" || l === "cause" || l === "get") && /^(?:overdose|od|choke|bleed|crash|fall|drown|die|suffocate|pass|killed|hurt|stabbed|shot|poisoned|sick|ill|black|faint|collapse|unconscious)/.test(next[1] ?? "") && PERSONS.has(next[0] ?? "")) return { target: i, rule: `cause-${next[1]}` };
  if (l === "put" && /\b(?:in|into) (?:the |a )?(?:hospital|coma|ground|grave|icu|morgue)\b(?! (?:bed|beds|gown|room|van|for|to|safely|carefully))/.test(next.concat(s.words.slice(i + 5, i + 8)).join(" "))) return { target: i, rule: "put-in-hospital" };
  if (l === "run" && next[0] === "over") return { target: i + 1, rule: "run-over" };
  if (w === "off" && /^(?:to|gonna|will|'ll|should|i|and)$/.test(s.words[i - 1] ?? "")) return { target: i, rule: "off" };
  if (l === "do" && s.words[i + 1] === "away" && s.words[i + 2] === "with") return { target: i + 2, rule: "do-away-with" };
  if ((l === "drug" || l === "spike") && s.pos[i] === "VERB") return { target: i, rule: l };
  if (WEAK_HARM_ACTS.has(l) && ASSAULT.test(s.text)) return { target: i, rule: `assault:${l}` };
  return null;
}

function actsIn(s: Sentence, c: Contexts, hits: ComposedHit[]): void {
  const request = isRequestText(s.text, s.words);
  const intent = isIntentText(s.text);
  const conceal = concealed(s.text);
  const asked = request || intent;
  // A story without operational detail is excused, unless the sentence itself asks how, or its victim
  // is a real person ("a story of me torturing my coworker sarah, use her real name"). A game is play.
  const realVictim = /\b(?:my (?:\S+ )?(?:coworker|co-worker|colleague|classmate|boss|teacher|ex|neighbor|neighbour|roommate|sister|brother|wife|husband)|real name|real person|real people)\b/.test(s.text);
  const excusedFiction = (c.fiction && !c.operational && !asksHowText(s.text) && !realVictim) || GAME.test(s.text);
  const wrapper = c.fiction && c.operational; // fiction that asks for the real procedure: a jailbreak shape
  const add = (category: SafetyCategory, rule: string, weight = BLOCK) => {
    hits.push({ category, weight, rule: `compose:${rule}` });
    if (wrapper && (category.startsWith("illicit") || category === "violence")) hits.push({ category: "jailbreak", weight: BLOCK, rule: "compose:fiction-wrapper" });
  };

  for (let i = 0; i < s.words.length; i++) {
    if (s.negated[i]) continue;
    const lemma = s.lemmas[i];
    const word = s.words[i];

    // An act word used as a noun is not the act ("a phishing attack", "the murder rate"), unless committed.
    const nounAct = (s.pos[i] === "NOUN" || s.pos[i] === "PROPN") && s.lemmas[i - 1] !== "commit";
    const harmStem = lemma === word && word.endsWith("ing") ? gerundStems(word).find((g) => HARM_ACTS.has(g)) : undefined;
    const phrasal = (HARM_ACTS.has(lemma) || HARM_ACTS.has(word)) && !nounAct ? { target: i, rule: lemma } : harmStem ? { target: i, rule: harmStem } : phrasalAt(s, i);
    if (phrasal) {
      const t = targetAfter(s, phrasal.target);
      // First aid names the act it answers ("the heimlich maneuver on a choking adult").
      const firstAid = /\b(?:heimlich|first aid|cpr|back blows|abdominal thrusts|resuscitat\w*|recovery position)\b/.test(s.text);
      if ((t === "person" || t === "you") && !excusedFiction && !firstAid) {
        if ((request || conceal) && !(c.history && !intent)) add("illicit/violent", `how-to-harm:${phrasal.rule}`);
        // "i'm gonna kill him lol": a laugh marks hyperbole, unless a weapon or a plan says otherwise.
        else if (intent && !(/\b(?:lol|lmao|lmfao|haha\w*|rofl|jk|just kidding|kidding)\b/.test(s.text) && !/\b(?:gun|knife|bat|tonight|tomorrow|when he|when she|after work|really|seriously|not joking|not kidding)\b/.test(s.text))) {
          add("violence", `threat:${phrasal.rule}`);
          if (t === "you") add("harassment/threatening", `threat:${phrasal.rule}`);
        }
      } else if (t === "yourself" && (request || /\b(?:go|just|should|you)\b/.test(s.text))) add("harassment", `tell-to-self-harm:${lemma}`);
      else if (t === null && (asked || conceal) && s.words.slice(phrasal.target + 1, phrasal.target + 6).some((w) => ANIMALS.has(w)) && /^(?:torture|kill|poison|hurt|burn|drown|stab|mutilate|starve|suffocate|strangle|beat|kick)/.test(lemma) && !/\b(?:vet|veterinar\w*|euthan\w*|humane\w*|put (?:\w+ )?down|to sleep|pest|mercy)\b/.test(s.text)) {
        add("violence", `animal-cruelty:${lemma}`);
      }
    }

    const howNoun = HOW_NOUNS.has(word);
    // "a phishing kit", "a ransomware template": the thing named before the noun.
    if (/^(?:kit|kits|template|templates|payload|payloads|panel|builder)$/.test(word) && (asked || conceal) && !c.defense) {
      for (let j = Math.max(0, i - 3); j < i; j++) if (MALWARE.has(s.words[j])) add("illicit", `make-malware:${s.words[j]}`);
    }
    // wink tags some gerunds as nouns and keeps them as their own lemma ("walk me through cooking crack"):
    // the verb they were made from is checked too (a fallback for the tagger, not a stemmer).
    const gerund = lemma === word && word.endsWith("ing") && gerundStems(word).some((g) => MAKE_ACTS.has(g));
    if (MAKE_ACTS.has(lemma) || MAKE_ACTS.has(word) || howNoun || gerund) {
      if (!(asked || howNoun || conceal) || excusedFiction || (c.history && !request)) continue;
      // Passive ("how heroin is made") looks back a few words; otherwise the object follows the verb.
      const passive = /^(?:is|are|was|were|be|being|been|gets|get)$/.test(s.words[i - 1] ?? "");
      // "how the bomb was built": a past-tense description is history, not a request for the procedure.
      if (/^(?:was|were)$/.test(s.words[i - 1] ?? "") && !asksHowText(s.text)) continue;
      for (let j = passive ? Math.max(0, i - 4) : i + 1; j < Math.min(s.words.length, i + 12); j++) {
        if (j === i) continue;
        const wj = s.words[j];
        if (weaponAt(s, j)) {
          add("illicit/violent", `make-weapon:${wj}`);
          break;
        }
        // A drug word modifying another noun is something else ("crack seed"), unless that noun belongs to it ("meth lab").
        const drugModifier = (s.pos[j + 1] === "NOUN" || s.pos[j + 1] === "PROPN") && !DRUGS.has(s.words[j + 1] ?? "") && !/^(?:lab|labs|recipe|pipe|pills?|powder|base|rocks?|crystals?|batch|cook|house|den|tabs?|blotter|paper)$/.test(s.words[j + 1] ?? "");
        if ((DRUGS.has(wj) || (DRUGS.has(s.lemmas[j]) && s.pos[j] !== "VERB")) && !drugModifier) {
          if (!c.medical || request) add("illicit", `make-drug:${wj}`);
          break;
        }
        if (PRESCRIPTION.has(wj) && (/^(?:make|cook|press|synthesize|synthesise|produce|manufacture|fake|counterfeit)$/.test(lemma) || /\b(?:fake|counterfeit|pill press|without (?:a )?prescription|dark ?web)\b/.test(s.text))) {
          add("illicit", `make-drug:${wj}`);
          break;
        }
        if (MALWARE.has(wj) && !c.defense) {
          const ok = wj === "virus" || wj === "worm" ? /\b(?:computer|script|code|python|windows|file|files|network|pc|spreads?)\b/.test(s.text) : true;
          if (ok) add("illicit", `make-malware:${wj}`);
          break;
        }
        if ((wj === "fake" || wj === "counterfeit" || wj === "forged") && /\b(?:id|ids|passport|passports|license|licence|diploma|degree|money|bills?|banknotes?|notes|cash|currency|dollars|euros|pounds|twenties|fifties|hundreds|documents?|check|cheque|prescription|invoices?|receipts?|doctor's note|vaccination|vaccine card|social security|ssn|visa|green card)\b/.test(s.words.slice(j, j + 5).join(" "))) {
          add("illicit", "make-fake-document");
          break;
        }
        if ((wj === "propaganda" || wj === "manifesto") && near(s, j, GROUPS, 8, 10) >= 0) {
          add("hate", "write-propaganda");
          break;
        }
      }
    }
  }

  // Sentence-level shapes no single act word says; each regex only where its anchor words occur
  // (String.includes is a fraction of a regex scan).
  const any = (...xs: string[]) => xs.some((x) => s.text.includes(x));
  if (asked && !c.history && !excusedFiction) {
    if (any("brake", "airbag", "steering", "gas line", "smoke detector", "oxygen") && /\b(?:cut\w{0,4}|tamper\w{0,3} with|mess\w{0,3} with|disabl\w{1,3}|loosen\w{0,3}|sabotag\w{1,3}|drain\w{0,3}) (?:\S+ ){0,3}?(?:brakes?|brake lines?|brake fluid|airbags?|steering|gas line|smoke detectors?|oxygen)\b/.test(s.text)) add("illicit/violent", "sabotage");
    if (any("fire", "burn", "torch") && /\b(?:set (?:\S+ ){0,4}?on fire|set fire to|burn (?:\S+ ){0,3}?down|torch|firebomb|start (?:a )?fires? (?:at|in|inside|to))\b/.test(s.text) && (/\b(?:house|home|car|apartment|flat|building|school|church|mosque|synagogue|temple|store|shop|office|trailer)\b/.test(s.text) || /\bwhile (?:he|she|they|he's|she's|they're|hes|shes)(?: is| are)? (?:sleeping|asleep|inside|in it|in there|home)\b|\bwith (?:him|her|them|you|people|someone) (?:in|inside)\b/.test(s.text) || concealed(s.text)) && !/\bmy own\b/.test(s.text)) {
      add(intent && !request ? "violence" : "illicit/violent", "arson");
    }
    if (any("drink", "coffee", "food", "tea", "glass", "meal", "soup", "wine", "beer", "water") && /\b(?:put\w{0,4}|slip\w{0,5}|spik\w{1,3}|drug\w{0,4}|add\w{0,3}|mix\w{0,3}|sneak\w{0,3}|lac\w{1,3})\b(?: \S+){0,4}? (?:in|into|to)? ?(?:her|his|their|someone's|someones|a girl's|a guy's|the|my \S+'s|\S+'s) (?:drink|drinks|coffee|food|tea|glass|meal|soup|wine|beer|water)\b/.test(s.text) && (concealed(s.text) || /\b(?:pass(?:es)? out|won't remember|doesn't remember|knock (?:her|him|them) out|fall asleep|sleep|unconscious|drugged|roofie|sedat\w{0,4}|poison\w{0,3}|kill|die|sick|ill|throw up|vomit|puke|diarrh\w{0,4}|hallucinat\w{0,4}|trip|high|bleach|antifreeze|laxative\w{0,1})\b/.test(s.text))) {
      add("illicit/violent", "drug-a-drink");
    }
    if (any("bring") && /\bbring(?:ing)? (?:a |my |my dad's |his |the )?(?:gun|guns|rifle|rifles|pistol|weapon|weapons|knife|bomb|ar-15|ar15)\b(?: \S+){0,3}? (?:to|into) (?:school|class|work|church|the mall|the office|campus)\b/.test(s.text)) add("violence", "bring-weapon");
    if (any("shooting", "massacre", "attack", "bombing", "stabbing") && /\b(?:school|mass|church|mall|workplace|campus) (?:shooting|massacre|attack|bombing|stabbing)\b/.test(s.text) && /\b(?:plan|planning|help|carry out|commit|do|pull off|organi[sz]e|how|best|most|maximum|which entrances|what time)\b/.test(s.text)) add("violence", "plan-mass-attack");
    if (any("poison", "toxin") && /\b(?:poisons?|toxins?)\b/.test(s.text) && (concealed(s.text) || /\b(?:autopsy|toxicology|tox screen|coroner|blood tests?)\b/.test(s.text)) && !c.medical) add("illicit/violent", "undetectable-poison");
    if (any("over") && /\b(?:hold|press|put|keep)\w{0,3} (?:a |the |my )?(?:pillow|bag|plastic bag|hand|cloth|towel|rag) over (?:someone's|his|her|their|\w+'s|a person's) (?:face|mouth|nose|head)\b/.test(s.text)) add("illicit/violent", "smother");
    if (any("body", "corpse", "remains") && /\b(?:dump\w{0,3}|hid\w{1,4}|bury\w{0,3}|buri\w{1,3}|dissolv\w{1,3}|sink\w{0,3}|get rid of|dispos\w{1,3} of|burn\w{0,3}) (?:\S+ ){0,1}?(?:a|the) (?:dead )?(?:body|corpse|remains)\b/.test(s.text)) add("illicit/violent", "dispose-of-body");
    if (any("tie", "tying") && /\b(?:tie|tied|tying)\b(?: \S+){0,4}? (?:to|around) (?:someone|somebody|him|her|them|a person|a body|the body|his|her)\b/.test(s.text) && /\b(?:sink|sinks|drown|weight|weights|rocks?|cinder|anchor|bottom)\b/.test(s.text)) add("illicit/violent", "drown-weighted");
    if (any("fertili", "ammonium", "anfo") && /\b(?:fertili[sz]er|ammonium nitrate|anfo)\b/.test(s.text) && /\b(?:diesel|fuel oil|boom|explo\w{1,5}|blast|bomb|detonat\w{1,5}|ratio|mix\w{0,3})\b/.test(s.text)) add("illicit/violent", "make-weapon:anfo");
    if (any("lab") && /\b(?:meth|drug|cocaine|crack|fentanyl|heroin|mdma|lsd) (?:lab|labs|kitchen)\b/.test(s.text) && !c.medical) add("illicit", "make-drug:lab");
    if (any("shrapnel") && /\bshrapnel\b/.test(s.text) && /\b(?:pipe|pack|nails|bomb|maximum|most|more)\b/.test(s.text)) add("illicit/violent", "make-weapon:shrapnel");
    if (any("auto", "sear", "bump fire", "switch") && /\b(?:convert|modify|turn|make)\b(?: \S+){0,4}? (?:full auto|fully automatic|automatic|auto sear|bump fire)\b|\b(?:glock switch|auto sear|drop in auto sear)\b/.test(s.text)) add("illicit/violent", "make-weapon:full-auto");
  }
  crimesIn(s, c, { request, intent, asked, conceal }, add);
}

export function composeHits(sentences: Sentence[], global: Pick<Contexts, "fiction" | "operational">): ComposedHit[] {
  const hits: ComposedHit[] = [];
  for (const s of sentences) actsIn(s, sentenceContexts(s.text, global), hits);
  return hits;
}
