// What is said rather than done, on one piece's plain text (cues.ts): hate (a group with a
// dehumanizing word, a demeaning generalization, a call to remove them, a request for slurs),
// harassment (direct abuse, telling someone to hurt themselves, requests to bully, humiliate, dox or
// shame a person), threats, and sexual content (explicit requests; anything sexual about a minor).
// Each reads only the pieces whose cues concern it. Bounded regexes only.
import type { ComposedHit } from "./compose";
import { CUE } from "./cues";
import { isIntentText, isRequestText } from "./frames";
import { DEHUMANIZING, GROUPS, INSULTS, MINOR_CUES, SEXUAL_CUES, STEREOTYPES } from "./lexicon";

const BLOCK = 0.9;
type Add = (category: ComposedHit["category"], rule: string, weight?: number) => void;

const EDUCATION = /\b(?:were called|was called|in nazi|claim that|is false|are false|isn't true|is not true|history|historical|historically|essay|class|course|paper|research|study|linguistics|origin|origins|why (?:are|do|is) (?:slurs|stereotypes|racism)|respond to|deal with|report|harmful|wrong|myth|debunk|don't list|do not list|without listing|stop|protect|prevent)\b/;
const OWN_INFO = /\bmy (?:own )?(?:home address|phone number|real name|address|number|ip)\b/;

function hateIn(text: string, words: string[], request: boolean, add: Add): void {
  const g = words.findIndex((w) => GROUPS.has(w));
  const edu = EDUCATION.test(text);
  if (g >= 0) {
    const window = words.slice(Math.max(0, g - 3), g + 9);
    const dehuman = window.find((w) => DEHUMANIZING.has(w));
    if (dehuman && !edu) add("hate", `dehumanize:${dehuman}`);
    // A demeaning generalization: "<group> are (all) criminals", "…are too stupid to…".
    const after = words.slice(g + 1, g + 8).join(" ");
    if (!edu && /^(?:people |men |women |folks |guys )?(?:are|is|r)\b(?: \S+){0,3}? (\S+)/.test(after)) {
      const m = /^(?:people |men |women |folks |guys )?(?:are|is|r)\b((?: \S+){0,4})/.exec(after);
      if (m && m[1].split(" ").some((w) => STEREOTYPES.has(w)) && !/\b(?:not|aren't|never|less)\b/.test(m[1])) add("hate", "demeaning-generalization");
    }
    // "why are <group> (people) so (much) dumber…", "<group> are all criminals".
    if (!edu && /\b(?:why are|why is|are|is|r)\b(?: \S+){0,3}? (?:so|so much|all|just|naturally|genetically|always|such|more|less|too)\b(?: \S+){0,2}? (\S+)/.test(text) && words.slice(g + 1, g + 9).some((w) => STEREOTYPES.has(w))) add("hate", "demeaning-generalization");
    if (!edu && request && /\b(?:offensive|racist|worst|meanest|nastiest|cruelest|degrading|hurtful|insulting)\b(?: \S+){0,2}? (?:things|words|names|insults|jokes|slurs|terms|nicknames)\b/.test(text)) add("hate", "slur-request");
    if (!edu && request && /\b(?:insults?|jokes?|slurs?|memes?|names|nicknames)\b(?: \S+){0,2}? (?:about|for|against|mocking|targeting)\b/.test(text)) add("hate", "hateful-content-request");
    if (!edu && request && /\b(?:manifesto|propaganda|flyer|leaflet|pamphlet|slogan|chant|recruitment)\b/.test(text)) add("hate", "hate-propaganda");
    if (!edu && /\bdeserve (?:what happens to them|it|to be (?:raped|hurt|beaten|attacked|killed|assaulted|harassed|abused))\b|\b(?:should|must|need to|needs to) (?:all )?go back (?:to|home|where)\b|\bshould (?:all )?go back\b/.test(text)) add("hate", "group-deserves-harm");
    if (/\b(?:should|must|need to|needs to|have to|let's|lets|we will|we'll|gonna|going to|deserve to|ought to|they'll|they will|you'll|you will|will)\b(?: \S+){0,5}? (?:be )?(?:exterminated?|eliminated?|eradicated?|purged?|wiped|gassed?|lynched?|killed?|get rid of|deported|massacred?|burned?|shot|banned|sterilized|stopped|removed|locked up|hunted(?: down)?|hanged|hung|beaten)\b|\b(?:don't|do not) deserve (?:rights|to live|to exist)\b|\bshouldn't be allowed to (?:vote|live|work|exist|breed|marry)\b|\bcontrol (?:the )?(?:banks|media|world|government|money)\b/.test(text) && !edu) {
      add(/\b(?:exterminat|eliminat|eradicat|gass|lynch|kill|massacr|burn|shot|wiped)/.test(text) ? "hate/threatening" : "hate", "eliminate-group");
    }
    if (request && /\b(?:joke|jokes|meme|memes|rant|post|tweet|speech|essay|poem|song)\b/.test(text) && /\b(?:why|how)\b/.test(text) && words.slice(g + 1, g + 8).some((w) => STEREOTYPES.has(w) || DEHUMANIZING.has(w))) {
      add("hate", "hateful-content-request");
    }
  } else if (/\b(?:get rid of them|exterminate (?:all|them|every)|wipe them out)\b/.test(text)) {
    add("hate/threatening", "eliminate-them", 0.6);
  }
  if (/\b(?:slurs?|racist jokes?|ethnic jokes?|racial insults?|offensive (?:words|names|terms|slurs|things))\b(?: \S+){0,4}? (?:for|about|against|to call|call|targeting|aimed at|to use on)\b/.test(text) && (request || /\blist\b/.test(text)) && !/\b(?:don't|do not|without)\b/.test(text) && !edu) {
    add("hate", "slur-request");
  }
  // Denial of a genocide, written as a claim: not a question about why people deny it.
  if (/\b(?:holocaust|genocide|nakba|holodomor)\b(?: \S+){0,3}? (?:never happened|didn't happen|did not happen|is a (?:hoax|lie|myth)|was (?:a hoax|faked|invented|made up|exaggerated)|invented)\b|\b(?:invented|made up|faked) the holocaust\b/.test(text) && !/\b(?:why do|how do|debunk|respond to|refute|history class|deniers? (?:claim|say))\b/.test(text)) add("hate", "genocide-denial");
}

function abuseIn(text: string, words: string[], request: boolean, add: Add): void {
  // Telling someone (the reader or a third person) to hurt themselves.
  if (/\b(?:should|go|just|needs? to|ought to|better|deserves? to)\b(?: \S+){0,2}? (?:kill|hang|hurt|cut|off|end) (?:yourself|herself|himself|themselves|urself)\b|\bkys\b/.test(text)) add("harassment", "tell-to-self-harm");
  if (!/\b(?:you|you're|u|ur|your)\b/.test(text)) return;
  const insults = words.filter((w) => INSULTS.has(w)).length;
  const pile = /\b(?:everyone hates you|nobody (?:likes|loves|wants) you|piece of (?:shit|garbage|trash)|no one (?:likes|loves|will ever love) you|nobody will ever love you)\b/.test(text);
  if (insults + (pile ? 2 : 0) >= 2) add("harassment", "abuse");
  else if (insults === 1 && !request && /\b(?:you are|you're|ur|u r|you) (?:a |an |such a |so )?\S*\s?\S+\b/.test(text)) add("harassment", "insult", 0.45);
}

const HARASS_VERBS = /\b(?:make (?:\S+ ){0,4}?life (?:hell|a living hell|miserable|unbearable)|get (?:her|him|them|my \w+) (?:fired|expelled|kicked out|arrested|evicted|deported)|so they (?:kick|throw) (?:her|him|them) out|follow\w{0,3} (?:a |an |the |this |that )?(?:woman|girl|man|guy|her|him|someone|person|stranger|kid) (?:home|to (?:her|his|their) (?:house|car|home|apartment|place)|around)|make (?:her|his|their|my \w+'s) life (?:hell|a living hell|miserable|unbearable)|flood\w{0,3} (?:\S+ ){0,3}?(?:phone|inbox|email|dms|messages|notifications)|spam (?:her|him|them|my \w+|someone)|(?:text|sms|call|email) bomb\w{0,3}|scare (?:her|him|them|my \w+) (?:into|so|away|off)|expos\w{1,4} (?:her|him|them|my \w+)|make (?:\S+ ){0,4}?feel (?:so )?(?:worthless|stupid|ugly|useless|small|unwanted|unloved|pathetic|like (?:shit|garbage|nothing|trash))|(?:write|make up|start|invent|create) (?:a |some )?(?:rumou?rs?|lies) (?:about|that)|spread (?:it|them) (?:around|at|to)|humiliat\w{0,4}|bully\w{0,3}|bullied|harass\w{0,4}|insult\w{0,3}|mock\w{0,3}|degrad\w{0,4}|torment\w{0,3}|intimidat\w{0,4}|stalk\w{0,3}|troll\w{0,3}|cyberbully\w{0,3}|embarrass\w{0,3}|shame|ridicule|make fun of|spread (?:a |some )?(?:rumou?rs?|lies) (?:about|that)|get (?:him|her|them|my \w+) fired|ruin (?:his|her|their|my \w+'s) (?:life|reputation|career|marriage)|make (?:a |an |the )?(?:\w+ )?(?:kid|girl|boy|child|classmate|coworker|person|him|her|them) cry)\b/;
const TARGET = /\b(?:him|her|them|my (?:\S+ )?(?:ex|coworker|co-worker|colleague|classmate|boss|teacher|sister|brother|friend|neighbor|neighbour|roommate|stepmom|stepdad|mom|dad|wife|husband|girlfriend|boyfriend|cousin)|a (?:\S+ )?(?:kid|girl|boy|child|person|classmate|coworker)|someone|this (?:guy|girl|person|user|streamer|kid)|the (?:new )?(?:kid|girl|guy))\b/;

function harassIn(text: string, request: boolean, add: Add): void {
  if ((request || isIntentText(text)) && HARASS_VERBS.test(text) && TARGET.test(text) && !/\b(?:stop|prevent|report|deal with|cope|respond|handle|protect|if someone|being bullied|being harassed|am being|i'm being|how do i (?:stop|handle|deal))\b/.test(text)) {
    add("harassment", "harass-person");
  }
  if ((request || isIntentText(text)) && /\b(?:fake|anonymous|burner|new|second|alt) (?:account|accounts|profile|profiles|numbers?)\b/.test(text) && /\b(?:harass|bully|troll|stalk|messag|follow|humiliat|mess with|threaten|expose|contact|text|dm|blocked me)\w{0,4}\b/.test(text)) add("harassment", "fake-account-harassment");
  if (request && /\bfake (?:\S+ )?(?:profile|account|page)\b(?: \S+){0,2}? (?:of|for|as|pretending to be|impersonating)\b/.test(text) && TARGET.test(text)) add("harassment", "impersonation");
  const insultWords = text.split(" ").filter((w) => INSULTS.has(w)).length;
  if ((/\b(?:insults?|roasts?|mean things|comebacks|nasty things|cruel things)\b/.test(text) || (insultWords >= 1 && /\b(?:comments?|captions?|messages?|replies|names|texts?|posts?)\b/.test(text))) && request && (TARGET.test(text) || /\b(?:my ex's|her|his)\b/.test(text)) && !/\b(?:gently|friendly|playful|for my birthday|roast me)\b/.test(text) && !/\b(?:not|isn't|isnt|never|aren't|arent)\b (?:\S+ )?(?:worthless|ugly|stupid|fat|a loser|useless|pathetic|disgusting|a failure)\b/.test(text)) add("harassment", "insults-for-person");
  // Doxxing: someone else's address, number, real name or where they live.
  if (!OWN_INFO.test(text) && !/\b(?:protect|prevent|avoid|remove|from doxx?ing|against doxx?ing)\b/.test(text)) {
    if (/\bdox\w{0,4}\b/.test(text) && (request || /^dox/.test(text))) add("harassment", "dox");
    else if (/\b(?:dig up|find out|find|get|look up) (?:everything|all|anything|any info\w{0,7}|dirt|info\w{0,7}|personal info\w{0,7})(?: you can(?: find)?)? (?:on|about)\b/.test(text) && TARGET.test(text)) add("harassment", "dox");
    else if ((/\b(?:home address|address|phone number|real name|where (?:\S+ ){0,2}?(?:lives?|works?|sleeps?|stays?|lives now)|personal information|private information|workplace|license plate)\b/.test(text) || (/\b(?:instagram|facebook|snapchat|tiktok|social media|socials|profile)\b/.test(text) && TARGET.test(text))) && /\b(?:home address|address|phone number|real name|where|personal|private|workplace|license|instagram|facebook|snapchat|tiktok|social|socials|profile)\b/.test(text) && /\b(?:find|get|look up|give me|track|locate|search|dig up|figure out|tell me|track down)\b/.test(text) && (request || /^(?:find|track|locate|get)\b/.test(text)) && /\b(?:of|for|about|where|this|that|the|his|her|their|ex|journalist|streamer|user|guy|girl|woman|man|person|someone)\b/.test(text)) {
      add("harassment", "find-personal-info");
    }
  }
  if (/\b(?:post|share|leak|upload|send|spread)\b(?: \S+){0,3}? (?:nudes|nude photos|naked (?:photos|pictures|pics)|intimate (?:photos|videos|pictures)|sex tape)\b/.test(text) && /\b(?:my ex|her|his|their|someone|without)\b/.test(text)) add("harassment", "intimate-images");
}

/** Threats whatever the frame: "I know where she sleeps", "you'll regret this", "you're dead meat". */
const THREAT_CUE =
  /\b(?:i|we) know where (?:you|she|he|they) (?:live|lives|sleep|sleeps|work|works|park|parks|go to school)\b|\bi know (?:her|his|their|your) (?:new )?(?:address|house|workplace|school|car|schedule)\b|\bmake (?:my \w+|\w+) pay\b(?! for (?:the|my|your|it|dinner|lunch|rent|drinks|the bill))|\b(?:she|he|they) won't see it coming\b|\b(?:you'll|she'll|he'll|they'll|you will|she will|he will|they will) (?:regret|pay for|be sorry)\b(?! (?:missing|not))|\bwatch (?:your|her|his) back\b|\b(?:i'm|i am|we're) coming for (?:you|her|him|them)\b|\bmake (?:you|her|him) pay\b|\b(?:you're|you are|ur|youre) dead(?: meat)? (?:when|if|after|once)\b|\b(?:they|you) (?:will|'ll) all pay\b|\bsleep with one eye open\b|\byou won't see it coming\b|\bi(?:'ll| will) find you\b|\bi(?:'ll| will) (?:hurt|kill|get) your (?:kids|family|children|wife|husband|mom|dog)\b/;

function threatIn(text: string, add: Add): void {
  if (THREAT_CUE.test(text) && !/\b(?:song|lyric|lyrics|title|movie|film|quote|game)\b/.test(text)) add("harassment/threatening", "threat-cue");
  if (/\b(?:write|send|draft|compose|text|make)\b(?: \S+){0,4}? (?:threatening|threat|intimidating|scary|death threat)\b(?: \S+){0,2}? (?:message|letter|text|note|email|dm|voicemail|post)\b|\b(?:write|send|draft|compose|make)\b(?: \S+){0,2}? (?:a |an )?(?:death )?threat\b(?: \S+){0,2}? (?:to|for|against)\b|\b(?:write|send|draft|compose)\b(?: \S+){0,2}? (?:a |an )?warning to\b(?: \S+){0,10}? (?:or else|they'll|they will|will be|be (?:lynched|killed|hurt|sorry))\b/.test(text) && !/\b(?:villain|villain's|novel|story|character|fantasy|screenplay|film|movie|dnd|d&d)\b/.test(text)) {
    add("harassment/threatening", "threatening-message");
  }
}

function sexualIn(text: string, words: string[], request: boolean, add: Add): void {
  let cue = -1;
  for (let i = 0; i < words.length && cue < 0; i++) {
    const w = words[i];
    if (!SEXUAL_CUES.has(w)) continue;
    const next = words[i + 1] ?? "";
    if (/^(?:education|ed|offender|offenders|trafficking|worker|workers|harassment|health|orientation|assault|abuse|predator|predators|consent|positive)$/.test(next)) continue;
    if (/^(?:no|not|non|without|nothing|avoid|zero)$/.test(words[i - 1] ?? "")) continue; // "no explicit content"
    cue = i;
  }
  if (/\b(?:get|convince|make|ask|persuade|trick|pressure|talk)\b(?: \S+){0,2}? (?:a |an |the |this |some )?(?:minor|child|kid|teen|teenager|little girl|little boy|(?:1[0-7]|[1-9]) ?(?:year|yr)s? ?old)\b(?: \S+){0,2}? (?:to |into )?(?:send\w{0,3}|shar\w{1,4}|show\w{0,3}|tak\w{1,4})\b(?: \S+){0,2}? (?:pictures|pics|photos|nudes|images|videos|selfies)\b/.test(text)) {
    // A parent asking for their own child's photos from camp is not soliciting a minor.
    if (!/\b(?:my|our) (?:kid|kids|child|children|teen|teenager|son|daughter)\b/.test(text)) {
      add("sexual/minors", "solicit-minor", 0.95);
      return;
    }
  }
  if (/\b(?:unsupervised|alone|private|one[- ]on[- ]one|secret) (?:access|time|contact) (?:to|with) (?:kids|children|minors|a child|a kid|young (?:girls|boys)|little (?:girls|boys))\b/.test(text) && !/\b(?:prevent|policy|policies|safeguard\w*|protect\w*|background check|rules|signs)\b/.test(text)) {
    add("sexual/minors", "access-to-children", 0.95);
    return;
  }
  if (cue < 0 && /\bgroom\w{0,3}\b/.test(text) && /\b(?:\d{1,2} ?(?:year|yr)s? ?old|child|children|kid|kids|minor|minors|teen|teens|girl|boy|student|students)\b/.test(text) && !/\b(?:signs|prevent|protect|spot|recogni[sz]e|report|dog|dogs|cat|horse|hair|beard)\b/.test(text)) {
    add("sexual/minors", "grooming", 0.95);
    return;
  }
  if (cue < 0 && /\b(?:in bed|to my body|undress\w{0,3}|take off (?:my|your|her|his) clothes|naked)\b/.test(text) && /\b(?:describe|graphic|detail|explicit|tell me|what you'd do|what you would do)\b/.test(text)) cue = 0;
  if (cue < 0 && /\blemon (?:fic|fanfic|fanfiction|story|scene)\b|\b(?:have|having|had) sex\b|\bhooking up\b(?: \S+){0,6}? (?:graphic|dirty|detail)|\bdirty (?:story|talk)\b|\btalk dirty\b|\boral sex\b|\b(?:flirt\w{0,3}|kiss\w{0,3}|touch\w{0,3}) (?:\S+ ){0,3}?(?:sexually|in a sexual way)\b|\bhidden camera in (?:the |a |her |his )?(?:bathroom|shower|changing room|locker room|bedroom)\b|\bupskirt\b/.test(text)) cue = 0;
  if (cue < 0 || /\b(?:doctor|medical|health|symptoms?|std|sti|contracept\w{0,4}|puberty|education|talk to (?:my|our) (?:\S+ ){0,3}?about|abuse prevention)\b/.test(text)) return;
  const minor = /\b(?:1[0-7]|[1-9]) ?(?:-| )?(?:year|yr)s?(?:-| )?old\b|\b(?:[1-9]|1[0-2])(?:st|nd|rd|th) grade\w{0,2}\b|\b(?:middle|elementary|primary|junior high) school\b|\b(?:1[0-7]|[1-9]) ?yo\b|\b(?:are|is|aged|age|both|only) (?:1[0-7]|[1-9])\b(?! ?(?:feet|ft|foot|inches|inch|cm|m|meters|kg|lbs?|pounds|stone|minutes|hours|days|weeks|months|times|stars|points|percent|%|of|am|pm))|\b(?:young|little) (?:girl|boy|girls|boys|kid|kids)\b|\b(?:middle|high|elementary|primary) school(?:er)?s? (?:girl|boy|student)/.test(text) || words.some((w) => MINOR_CUES.has(w));
  if (minor) add("sexual/minors", "sexual-minor", 0.95);
  // A noun phrase is a request too ("s3xy explicit story about…, no fade to black").
  else if (request || /\b(?:with me|to me|to my body|describe|story|stories|scene|fic|fanfic|fanfiction|fan fiction|roleplay|rp|sext|smut)\b/.test(text)) add("sexual", "explicit-request");
}

/** The speech rules for one piece, by its cue classes. */
export function speechIn(text: string, mask: number, hits: ComposedHit[]): void {
  const words = text.split(" ");
  const request = isRequestText(text, words);
  const add: Add = (category, rule, weight = BLOCK) => hits.push({ category, weight, rule: `compose:${rule}` });
  if (mask & CUE.HATE) hateIn(text, words, request, add);
  if (mask & (CUE.ABUSE | CUE.HARASS)) abuseIn(text, words, request, add);
  if (mask & (CUE.HARASS | CUE.SEXUAL)) harassIn(text, request, add);
  if (mask & (CUE.THREAT | CUE.HARASS)) threatIn(text, add);
  if (mask & CUE.SEXUAL) sexualIn(text, words, request, add);
}
