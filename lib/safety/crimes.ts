// Crimes against property and trust, for compose.ts: theft and robbery, fraud and carding, phishing,
// laundering, identity theft, trafficking and smuggling, dealing, and getting into someone else's
// account, phone or home. Each is an act (a lemma class or a shape) asked for, or planned, or done
// unseen, outside a defence context ("how do banks detect card fraud?", "protect my account").
import type { SafetyCategory } from "./categories";
import { gerundStems, type Contexts } from "./frames";
import { ACCOUNTS, DRUGS, HACK_ACTS, THEFT_ACTS } from "./lexicon";
import type { Sentence } from "./nlp";

type Add = (category: SafetyCategory, rule: string, weight?: number) => void;
interface Frame {
  request: boolean;
  intent: boolean;
  asked: boolean;
  conceal: boolean;
}

/** Possessors that are someone else (not the asker's own account or home). */
const OTHERS = new Set(["someone", "somebody", "someones", "someone's", "his", "her", "their", "'s", "s", "neighbor", "neighbour", "ex", "victim", "stranger", "people's", "target", "else's", "them", "him", "people"]);
/** A parent looking after a child's phone is not spying. */
const MINOR_RELATIONS = /\b(?:my|our) (?:kid|kids|son|daughter|child|children|teen|teenager|toddler)(?:'s)?\b/;
/** Things stolen only figuratively ("steal the show", "steal a base", "steal my heart"). */
const FIGURATIVE = /\bsteal(?:s|ing)? (?:the |a |my |your |his |her )?(?:show|spotlight|heart|base|scene|thunder|glance|kiss|moment|look|idea|ideas|joke|jokes|recipe|style|limelight|march)\b/;
const OBJECT_NEXT = new Set(["a", "an", "the", "his", "her", "their", "my", "someone", "someone's", "people", "people's", "customers", "customers'", "credit", "card", "cards", "from", "off", "into"]);
const DEALING = new Set(["sell", "deal", "smuggle", "traffic", "distribute", "push", "move", "ship", "mule"]);
const WEAK_HACK = new Set(["track", "monitor", "access", "read", "bug", "spy", "intercept"]);

export function crimesIn(s: Sentence, c: Contexts, f: Frame, add: Add): void {
  const t = s.text;
  // A story without operational detail ("a boy who steals an apple") is excused, as in compose.ts.
  const excused = c.defense || (c.history && !f.request) || (c.fiction && !c.operational && !/\bhow (?:to|do|can|would)\b/.test(t));
  const askedOrHidden = f.asked || f.conceal;
  // Every act below is asked for, planned or done unseen: nothing to read otherwise.
  for (let i = 0; askedOrHidden && i < s.words.length; i++) {
    if (s.negated[i]) continue;
    const word = s.words[i];
    // A gerund tagged as a noun is read as its verb when an object follows ("tips on skimming customers'
    // cards"), not when it names a topic ("phishing emails", "money laundering").
    const objectNext = s.lemmas[i] === word && word.endsWith("ing") && OBJECT_NEXT.has(s.words[i + 1] ?? "");
    const lemma = objectNext ? (gerundStems(word).find((g) => THEFT_ACTS.has(g) || HACK_ACTS.has(g)) ?? word) : s.lemmas[i];

    // Dealing and smuggling: drugs, guns, organs, people.
    if (DEALING.has(lemma) && !excused) {
      for (let j = i + 1; j < Math.min(s.words.length, i + 7); j++) {
        const wj = s.words[j];
        if (DRUGS.has(wj) || /^(?:weed|drugs|pills|guns|firearms|organs|organ|kidney|kidneys|cocaine|girls|women|children|kids|people|migrants|stolen)$/.test(wj)) {
          add("illicit", `deal:${wj}`);
          break;
        }
      }
    }
    // Verbs only ("a ceramic mug", "a con artist"), except the words that name the crime as a noun too.
    // wink's tagger errs on short sentences ("how do people clone cards": "clone" a noun), so a word after a
    // subject, "to" or a modal counts as a verb too.
    const theft = THEFT_ACTS.has(lemma) || THEFT_ACTS.has(word);
    const verbal = theft && (s.pos[i] === "VERB" || lemma !== s.lemmas[i] || /^(?:to|i|we|you|they|people|someone|somebody|can|could|would|should|will|do|does|and|or|how|just|then|me|us)$/.test(s.words[i - 1] ?? "") || /^(?:counterfeit|blackmail|extort|scam|phish|swat|launder|shoplift|skim)$/.test(lemma));
    if (theft && verbal && !excused) {
      const ok =
        lemma === "forge" ? /\b(?:signature|document|passport|id|check|cheque|prescription|money|certificate|note|papers)\b/.test(t)
        : lemma === "con" ? /\b(?:someone|people|old|elderly|him|her|them|out of)\b/.test(t)
        : lemma === "fence" ? /\bstolen\b/.test(t)
        : lemma === "poach" ? /\b(?:elephants?|rhinos?|ivory|tigers?|deer|animals)\b/.test(t)
        : lemma === "traffic" ? /\b(?:people|humans?|girls|women|children|drugs|weapons|organs)\b/.test(t)
        : lemma === "clone" ? /\b(?:cards?|sim|phone|badge|key ?fob|keycard|credit)\b/.test(t)
        : lemma === "hijack" ? /\b(?:plane|car|truck|bus|ship|account|vehicle)\b/.test(t)
        // "my catalytic converter was stolen": the victim asking is not the thief.
        : lemma === "steal" ? !FIGURATIVE.test(t) && !/\b(?:was|were|got|been|is|are) (?:\S+ )?stolen\b|\bsomeone stole\b/.test(t)
        : true;
      if (ok) add("illicit", `theft:${lemma}`);
    }

    // Someone else's account, phone, computer or home: hacked, tracked, read, broken into.
    const breakIn = ((word === "break" || lemma === "get") && s.words[i + 1] === "into") || (lemma === "pick" && s.words.slice(i + 1, i + 4).includes("lock")) || (word === "brute" && /^forc/.test(s.words[i + 1] ?? ""));
    if ((HACK_ACTS.has(lemma) || breakIn) && !c.defense) {
      const weak = WEAK_HACK.has(lemma);
      if (weak && (MINOR_RELATIONS.test(t) || !(f.conceal || /\b(?:secretly|spy|without (?:her|him|them|my \w+) knowing|remotely)\b/.test(t)))) continue;
      let j = -1;
      for (let k = i + 1; k < Math.min(s.words.length, i + 8); k++) if (ACCOUNTS.has(s.words[k]) || ACCOUNTS.has(s.lemmas[k])) j = j < 0 ? k : j;
      // Someone else's: a possessive that is not the asker's own ("my girlfriend's phone", "his account").
      if (j > 0 && s.words.slice(i, j + 1).some((w) => OTHERS.has(w)) && !/\bmy own\b/.test(t)) add("illicit", `hack-account:${s.words[j]}`);
    }
  }

  if (excused || !(f.asked || f.conceal)) return;
  // Each shape's regex only where its anchor words occur (String.includes is a fraction of a regex scan).
  const any = (...xs: string[]) => xs.some((x) => t.includes(x));
  if (any("spyware", "stalkerware", "keylogger", "tracker", "tracking", "camera") && /\bspyware|stalkerware|keylogger|tracker|tracking app|gps tracker|hidden camera\b/.test(t) && /\b(?:on|into|in) (?:\S+ ){0,2}?(?:his|her|their|someone's|\w+'s) (?:phone|laptop|computer|car|room|bathroom)\b/.test(t)) add("illicit", "install-spyware");
  if (any("name") && /\b(?:open|take out|apply for|get|sign up for)\b(?: \S+){0,3}? (?:credit cards?|cards|loans?|accounts?|credit|mortgage|phone contract)\b(?: \S+){0,2}? in (?:his|her|their|someone's|someone else's|\w+'s|a dead person's|my (?:\S+ )?\S+'s) names?\b/.test(t) && !/\bmy (?:daughter|son|kid|child|baby|newborn)'?s\b|\b(?:custodial|guardian|power of attorney|executor)\b/.test(t)) add("illicit", "identity-theft");
  if (any("structur", "deposit", "cash", "bank", "irs", "government", "taxman") && /\bstructur\w{0,4} (?:\S+ ){0,2}?(?:deposits|cash|payments|withdrawals)\b|\b(?:deposits?|cash) (?:under|below|less than) (?:\$ ?)?(?:10 ?000|10k|ten thousand)\b|\bso (?:the )?(?:bank|irs|government|taxman) (?:doesn't|won't|don't|can't|never) (?:report|notice|flag|find out|see)\b/.test(t)) add("illicit", "structuring");
  if (any("stolen", "fullz", "dumps", "cvv", "card", "carder", "cash out", "cashout", "generator") && /\bstolen (?:credit |debit )?(?:cards?|card numbers|card details|identities|accounts|ssns?|goods|phones|cars?|bikes?)\b|\b(?:fullz|dumps with pin|cvvs?|carding|carders?|cash ?out)\b|\b(?:credit card|card|cc) generator\b|\bworking (?:credit )?card numbers\b/.test(t)) add("illicit", "carding");
  // Attacks on systems that are not the asker's: an injection payload for "this store's" login, a brute force on accounts.
  if (any("inject", "sqli", "xss", "payload", "exploit", "brute", "stuffing", "spraying", "wordlist", "ddos") && /\b(?:sql injection|sqli|xss|payload|exploit|brute[- ]?forc\w{0,3}|credential stuffing|password spraying|wordlist|ddos)\b/.test(t) && (/\b(?:not my|isn't mine|someone else's|this store's|that store's|this company's|this site's|their|his|her|other people's|people's)\b/.test(t) || /\b(?:brute[- ]?forc\w{0,3}|stuff\w{0,3}|spray\w{0,3}|crack\w{0,3})\b(?: \S+){0,4}? (?:gmail|email|instagram|facebook|bank|user|users|account|accounts) (?:account |accounts )?(?:passwords?|logins?)\b/.test(t)) && !/\bmy own\b/.test(t)) {
    add("illicit", "attack-others-systems");
  }
  if (any("dead", "deceased", "late") && /\b(?:collect\w{0,3}|cash\w{0,3}|claim\w{0,3}|keep getting|keep receiving)\b(?: \S+){0,4}? (?:dead|deceased|late)\b(?: \S+){0,3}? (?:social security|pension|benefits?|checks|cheques|payments|disability)\b/.test(t)) add("illicit", "benefits-fraud");
  if (any("fraud") && /\b(?:insurance|tax|wire|bank|mortgage|welfare|unemployment|benefits|credit card|identity|check|cheque|medicare|medicaid|loan|refund)? ?fraud\b/.test(t) && /\b(?:commit|do|pull off|get away|how|way|ways|steps|help me|teach me|without|by)\b/.test(t)) add("illicit", "fraud");
  if (any("scheme") && /\b(?:ponzi|pyramid) scheme\b/.test(t)) add("illicit", "ponzi");
  if (any("high", "stoned", "wasted", "trip") && /\bto get (?:really |so |super |very )?(?:high|stoned|wasted|fucked up|messed up|tripping)\b|\bto trip\b/.test(t) && /\b(?:meds|medicine|medication|pills|cough syrup|otc|over the counter|drugs|dxm|benadryl|nutmeg|inhalants?|huff\w{0,3})\b/.test(t)) add("illicit", "drug-misuse");
  if (any("card", "bin") && /\bcard (?:stuff|things|items|products|goods|gift cards|electronics|clothes|phones)\b|\bwith a bin\b|\bbins? (?:list|method)\b/.test(t)) add("illicit", "carding");
  if (any("pocket") && /\bpick\w{0,3} (?:\S+ )?pockets?\b/.test(t)) add("illicit", "theft:pickpocket");
  // Damage to someone else's property, planned or asked for ("key his car", "ruin his car without getting caught").
  if (any("car", "tire", "tyre", "window", "house", "lawn", "bike", "property") && /\b(?:ruin\w{0,3}|wreck\w{0,3}|destroy\w{0,3}|damag\w{1,3}|trash\w{0,3}|vandali[sz]\w{1,3}|key\w{0,3}|scratch\w{0,3}|slash\w{0,3}|smash\w{0,3}|egg\w{0,3}|spray ?paint\w{0,3}|sugar in)\b(?: \S+){0,2}? (?:his|her|their|my \w+'s|\w+'s|someone's|the neighbou?r's) (?:\S+ )?(?:car|cars|tires|tyres|windows?|house|lawn|garden|bike|property|gas tank)\b/.test(t) && (f.intent || f.conceal || /\brevenge\b/.test(t) || f.request) && !/\bmy own\b/.test(t)) add("illicit", "vandalism");
  // Breaking into a car, a house or a shop that is not one's own.
  if (any("break", "broke", "into") && /\b(?:break|breaking|broke|get|getting) into (?:a|the|someone's|someone else's|his|her|their|\w+'s|that|this|an) (?:\S+ )?(?:car|cars|house|home|apartment|flat|store|shop|office|garage|shed|warehouse|van|truck|school|locker)\b/.test(t) && !/\b(?:my own|locked out|my car|my house|my home|my apartment|my keys)\b/.test(t)) add("illicit", "burglary");
  if (any("mule") && /\bmoney mul\w{1,3}\b|\bmule (?:account|for)\b|\bdrug mul\w{1,3}\b/.test(t)) add("illicit", "money-mule");
  if (any("social security", "ssn", "identit", "card numbers", "passport scan") && /\b(?:buy|purchase|get|find|obtain)\b(?: \S+){0,4}? (?:someone's|someone else's|a stolen|stolen|real|a real|another person's|other people's)? ?(?:social security numbers?|ssns?|identit(?:y|ies)|credit card numbers|card numbers|passport scans?)\b|\bsomeone(?: else)?'s (?:social security number|ssn)\b/.test(t) && !/\bmy (?:own )?(?:ssn|social security|identity)\b/.test(t)) add("illicit", "buy-identity");
  // Someone else's records or messages, taken without their consent.
  if (any("records", "files", "messages", "emails", "photos", "data", "history", "texts") && /\b(?:someone's|someone else's|his|her|their|\w+'s|other people's|people's)\b(?: \S+){0,2}? (?:medical|health|bank|banking|financial|school|criminal|phone|call|browsing|private)? ?(?:records|files|messages|emails|photos|data|history|texts)\b/.test(t) && (f.conceal || /\b(?:secretly|spy|snoop)\b/.test(t))) add("illicit", "privacy-violation");
  // Defeating a car's or a shop's security to take it.
  if (any("immobili", "alarm", "key fob", "keyfob", "keyless", "ignition", "steering lock", "security tag", "anti-theft", "antitheft") && /\b(?:bypass\w{0,3}|disabl\w{1,3}|defeat\w{0,3}|get around|hack\w{0,3}|jam\w{0,4}|relay|clon\w{1,3}|remov\w{1,3})\b(?: \S+){0,3}? (?:immobili[sz]er|car alarm|alarm|key ?fob|keyless entry|ignition|steering lock|security tags?|anti-?theft)\b/.test(t) && /\b(?:drive off|steal|take it|someone's|a car|cars|their|without the owner|store|shop)\b/.test(t) && !/\bmy own\b/.test(t)) add("illicit", "theft:bypass-security");
  if (any("sim ", "port ", "take over") && /\bsim (?:swap|swapping|hijack\w{0,3})\b|\bport (?:out )?(?:his|her|their|someone's|someone else's|\w+'s) (?:phone )?number\b|\btake over (?:\S+ ){0,1}?(?:someone's|someone else's|his|her|their|\w+'s) (?:phone number|number|account|accounts|email|instagram|facebook|identity)\b/.test(t)) add("illicit", "account-takeover");
  if (any("border", "customs", "passport", "kidney", "organ", "sell ") && /\b(?:smuggle|bring|get|move|transport|sneak|traffic)\b(?: \S+){0,3}? (?:people|girls|women|children|kids|migrants|immigrants|workers)\b(?: \S+){0,3}? (?:across|over|through|past) (?:the )?(?:border|customs)\b|\bkeep (?:their|her|his) passports?\b|\bsell (?:a |my |her |his |their )?(?:kidney|kidneys|organs?|baby|child|daughter|son|wife|girl)\b/.test(t)) add("illicit", "trafficking");
  if (any("security", "customs", "tsa", "border") && /\b(?:through|past|by|across) (?:the )?(?:airport )?(?:security|customs|tsa|border)\b/.test(t) && /\b(?:cocaine|drugs|heroin|meth|fentanyl|weed|pills|gun|guns|weapon|knife)\b/.test(t)) add("illicit", "smuggling");
  if (any("pretend", "impersonat", "posing", "pose as", "looks like", "look like", "appear", "spoof", "fake", "from ", "convincing") && /\b(?:write|draft|create|make|send|compose|design|build|generate|code|set up|clone|text)\b/.test(t) && /\b(?:email|emails|message|messages|text|texts|page|site|website|login|sms|letter|call|script|form)\b/.test(t) && /\b(?:pretending to be|pretend to be|pretends to be|impersonat\w{0,4}|posing as|pose as|looks? like (?:it(?:'s| is| comes?)? (?:from )?)?|appears? to (?:come|be) from|spoof\w{0,3}|fake|from (?:the |your |our )?(?:irs|bank|paypal|amazon|apple|microsoft|google|netflix|hmrc|police|hr|it department|it support|helpdesk|help desk|ceo|post office|usps|royal mail|dhl|fedex|ups|payroll))\b/.test(t) && /\b(?:password|passwords|login|log in|sign in|credentials|verify|confirm|card|cards|account|bank|ssn|pin|payment|gift cards?|wire|money|send me|bitcoin|crypto|details)\b/.test(t)) {
    add("illicit", "phishing-by-description");
  }
  if (any("irs", "hmrc", "tax", "government", "authorities", "dependents", "deductions", "underreport") && /\b(?:hide|hiding|conceal|stash|keep) (?:\S+ ){0,3}?from (?:the )?(?:irs|hmrc|tax man|taxman|tax office|tax authorities|government|authorities)\b|\b(?:evade|evading|dodge|dodging) (?:\S+ ){0,2}?tax(?:es)?\b|\bpay (?:zero|no) (?:tax|taxes)\b(?: \S+){0,4}? (?:cash|caught|without|hide|under the table|off the books)\b|\bcheat\w{0,3} on (?:my |our |the )?tax(?:es)?\b|\bfake (?:dependents|deductions|expenses|tax receipts|charity receipts)\b|\bunderreport\w{0,3}\b/.test(t)) add("illicit", "tax-evasion");
  if (any("encrypt", "lock") && /\b(?:encrypt\w{0,3}|lock\w{0,3}) (?:\S+ ){0,4}?(?:files|computer|computers|data|drive|drives|network|system|systems|pc)\b/.test(t) && /\b(?:ransom|bitcoin|crypto|pay|payment|demand\w{0,2}|victim's|victims)\b/.test(t)) add("illicit", "make-malware:ransomware");
  if (any("grabber", "stealer", "harvest", "undetectable", "antivirus", "defender", "edr") && /\b(?:token grabber|cookie stealer|password stealer|credential harvest\w{0,3}|undetectable by (?:\S+ ){0,2}?(?:antivirus|defender|av)|bypass (?:the )?(?:antivirus|defender|edr))\b/.test(t)) add("illicit", "malware-evasion");
}
