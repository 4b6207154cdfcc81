// Shapes of harm that no single act word says, read as structures over the plain text of a piece
// (or of a short message whole, so a question and its purpose in the next sentence are read
// together): a threat (a first-person future or a menace aimed at a person or a group), violence
// planned against a person (a harm done to someone with an outcome or a cover story), degrading
// messages written for a person, a group with a dehumanizing predicate in content asked for, a
// self-harm method (a dose or a way to be past saving), a translated instruction wrapper, and
// requests for a few illicit acts named by their object (skimmers, drainers, fake IDs, someone
// else's credit). Each family runs only where its anchor words occur (String.includes first), and
// every regex is bounded ((?: \S+){0,n} with small n), so the cost is linear in the piece.
import type { ComposedHit } from "./compose";
import type { SafetyCategory } from "./categories";
import { CUE } from "./cues";
import { GROUPS } from "./lexicon";

const BLOCK = 0.9;
type Add = (category: SafetyCategory, rule: string, weight?: number) => void;

/** Someone a message or an act can be aimed at. */
const PERSON = String.raw`(?:you|ur|u|her|him|them|his|their|she|he|they|someone|somebody|someones|someone's|a person|people|my (?:\S+ ){0,2}?(?:ex|wife|husband|girlfriend|boyfriend|gf|bf|mom|mum|mother|dad|father|brother|sister|stepdad|stepmom|son|daughter|boss|coworker|co-worker|colleague|classmate|teacher|neighbou?r|roommate|friend|cousin|uncle|aunt|partner|landlord|in law|kid|baby|child|grandma|grandmother|grandpa|grandfather|granny|nan|nana|niece|nephew|stepson|stepdaughter|toddler|fiance|fiancee)|(?:this|that|the|a) (?:\S+ ){0,2}?(?:girl|guy|boy|man|woman|kid|child|person|lady|dude|teacher|coworker|classmate|neighbou?r|mayor|cop|officer|judge))`;

/** A request: asking how, for a way, for a message to be written. */
const REQUEST = /\b(?:how (?:do|can|could|would|should|to|much|long|many)|how'?d|hoow|what(?:'s|s| is)? the (?:best|easiest|fastest|quickest|simplest|safest|most)|whats the|best way|easiest way|fastest way|quickest way|is there a way|ways? to|tips (?:on|for)|teach me|show me|tell me|explain|walk me through|help me|give me|write|compose|draft|send|make me|i need|need a|i want|can you|could you|list|rank|find)\b/;

const EXCUSE = /\b(?:history|historical|documentary|novel|in the game|video game|minecraft|fortnite|skyrim|gta|roblox|game|debunk|myth|respond to|deal with|cope with|protect|prevent|report|spot|detect|recogni[sz]e|avoid|victim of|being threatened|threatened me|threatening me|threatens me|first aid|heimlich|cpr)\b/;

// ---- threats ----------------------------------------------------------------------------------

const I_WILL = String.raw`(?:i'll|ill|i will|i'm gonna|im gonna|i am gonna|i'm going to|im going to|i am going to|we'll|we will|we're gonna|were gonna|gonna)`;
const HARM = String.raw`(?:kill|murder|stab|shoot|strangle|choke|beat|hurt|break|slit|cut|burn|end|bury|destroy|ruin|smash|bash|gut|skin|hang|drown|torture|maim|cripple|rape|find|get|come for|come after|hunt)`;
const THREAT_SAY = new RegExp(String.raw`\b${I_WILL} (?:\S+ ){0,2}?${HARM}\w{0,3} (?:\S+ ){0,1}?(?:you|ur|u|her|him|them|your|his|their|ya)\b`);
/** Menace without a harm verb: "what i'll do to her", "i know where you live", "a visit she won't forget". */
const MENACE = new RegExp(String.raw`\bwhat (?:${I_WILL}|i'd|id|i would|i could|is going to|will|is gonna) (?:\S+ ){0,1}?(?:do|happen) to (?:you|her|him|them|your|his|their|ya)\b|\b(?:i|we) know (?:where|which|what) (?:\S+ ){0,3}?(?:you|she|he|they|your|her|his|their) (?:\S+ ){0,2}?(?:live|lives|go|goes|sleep|sleeps|work|works|park|parks)\b|\b(?:a |an )?visit (?:\S+ ){0,1}?(?:she|he|they|you)(?:'ll| will)? (?:won't|wont|will never|never|wouldn't) forget\b|\b(?:watch|better watch) (?:your|ur|his|her|their) (?:back|kids|family)\b|\b(?:you|she|he|they)(?:'re|re| are|'s|s| is) (?:so |gonna be |going to be )?(?:dead|finished|next)\b(?! (?:tired|serious|on|wrong|right|last|to|in|up|at|for|week|time|one|person|turn|door|weekend|after|year|month))|\bdeserves? (?:a bullet|a rope|the rope|to (?:die|be shot|hang|be hanged|be killed|burn))\b|\bmake (?:you|her|him|them) (?:pay|suffer|bleed|regret)\b|\b(?:you|she|he|they)(?:'ll| will) (?:regret (?:it|this|the day|ever|crossing|messing)|pay for (?:this|that|it)|never see it coming|suffer|be sorry|wish (?:you|she|he|they) (?:were|was) dead)\b(?! (?:through|from|at|in the heat|a bit|less))|\b(?:i'll|ill|i will|i'm gonna|im gonna) make sure (?:you|she|he|they) never\b`);
/** Menace that needs a condition ("if he shows up again he won't walk out", "…will be the first to go if…"). */
const MENACE_IF = /\b(?:you|he|she|they|u)(?:'ll| will)? (?:won't|wont|will not|will never|never) (?:walk|crawl|make it|get|leave)(?: out| home| back)?(?: alive| standing| in one piece)?\b(?! (?:on|of (?:bed|the house|debt|his room|her room)))|\b(?:won't|wont|will not|never) (?:live to see|see (?:tomorrow|another day|the morning|daylight))\b|\b(?:will be|is|'s|are) (?:the )?(?:first|next) to (?:go|die|get hurt)\b/;
const CONDITION = /\b(?:if|unless|or else|next time|again|one more time|ever)\b/;
const THREATEN_REQ = /\b(?:message|messages|text|note|letter|email|dm|voicemail)\b(?: \S+){0,4}? (?:makes?|making|scares?|to scare|to make) (?:\S+ ){0,2}?(?:scared|afraid|terrified|fear|too scared|panic)\b|\b(?:help me|how (?:do|can|should) i|ways to|best way to|write (?:\S+ ){0,5}?(?:to|that|which)|make (?:\S+ ){0,2}?) (?:threaten|intimidate|scare|terrify|frighten)\b|\b(?:threaten|intimidate|scare|terrify|frighten)\w{0,3} (?:\S+ ){0,5}?make it (?:really |super |extra |very )?(?:scary|threatening|menacing|terrifying)\b/;
const MESSAGE_REQ = /\b(?:write|compose|draft|send|text|type|make|give me|help me (?:write|word|send)|craft)\b(?: \S+){0,5}? (?:message|messages|text|texts|note|dm|dms|email|letter|comments?|post|reply|tweet|voicemail|poem|review|caption|essay|speech)\b/;
const INSTITUTION = /\b(?:synagogue|mosque|church|temple|gurdwara|community cent(?:er|re)|pride|lgbt\w*)\b/;

/** Words every threat shape has one of: a cheap test before the threat regexes. */
const THREAT_GATE = /\b(?:ll|ill|will|gonna|going|know|visit|watch|better|dead|finished|next|deserves?|make|regret|pay|won'?t|wont|never|threat\w*|intimidat\w*|scar\w*|terrif\w*|fright\w*|first|message|text|note|letter|email|dm|voicemail)\b/;

function threats(text: string, add: Add): void {
  if (!THREAT_GATE.test(text)) return;
  // "i'll kill you if you eat my last cookie haha": a laugh marks hyperbole, unless a weapon or a plan says otherwise.
  const joking = /\b(?:lol|lmao|lmfao|haha\w*|rofl|jk|just kidding|kidding)\b/.test(text) && !/\b(?:gun|knife|bat|tonight|tomorrow|not joking|not kidding|seriously)\b/.test(text);
  const has = (...xs: string[]) => xs.some((x) => text.includes(x));
  const say = has("ll ", "will", "gonna", "going to") && THREAT_SAY.test(text) && !joking;
  // "i know where you live is a great song title": a title or a quote is not a threat.
  // Each big alternation only where one of its literals occurs (V8 has no literal prefilter for them).
  const menace = ((has("what ", "know", "visit", "watch", "dead", "finished", "next", "deserve", "make ", "regret", "pay for", "coming", "suffer", "sorry", "wish", "make sure") && MENACE.test(text)) || (has("won", "never", "first to", "next to") && MENACE_IF.test(text) && CONDITION.test(text) && !/\b(?:alone|by herself|by himself|anymore|the house|her room|his room|bed)\b/.test(text))) && !/\b(?:song|title|lyrics?|movie|film|album|band|episode|quote|novel|book)\b/.test(text);
  // "i'm gonna kill it at the interview", "i'll destroy you at chess": a game or a thing is no target (the regex wants a person).
  if ((say && (MESSAGE_REQ.test(text) || /\b(?:if|unless|or else|or)\b/.test(text) || /\btelling (?:her|him|them)\b/.test(text))) || menace) {
    const group = INSTITUTION.test(text) || [...words(text)].some((w) => GROUPS.has(w));
    add(group ? "hate/threatening" : "harassment/threatening", menace ? "menace" : "threat-statement");
  }
  if (has("threat", "intimid", "scar", "terrif", "fright") && THREATEN_REQ.test(text)) add("harassment/threatening", "threaten-request");
}
const threatExcused = (text: string) => EXCUSE.test(text) && !/\b(?:ex|my (?:wife|husband|girlfriend|boyfriend))\b/.test(text);

// ---- violence against a person ----------------------------------------------------------------

const DONE_TO = new RegExp(String.raw`\b(?:trip|tripping|knock|knocking|hold|holding|push|pushing|shove|shoving|throw|throwing|drown|drowning|maim|maiming|cripple|crippling|torture|torturing|hit|hitting|punch|punching|beat|beating|kick|kicking|strangle|strangling|choke|choking|stab|stabbing|poison|poisoning|run|running|smother|smothering|suffocate|break|breaking|slap|slapping|burn|burning|tie|tying|starve|starving|bleed)\b (?:\S+ ){0,1}?${PERSON}\b(?! (?:breath|own|hand|hands|head|tongue|nose|baby|babies|pee|urine)\b)`);
const OUTCOME = /\b(?:drown|drowns|die|dies|dead|bruises?|marks|accident|accidental|tripped|slipped|fell|fall|never (?:walk|talk|see|wake)|walk right|suffer|pain|painful|bleed|bleeds|unconscious|hospital|cripple\w*|kneecap\w*|knees|crippled|stays? down|down the stairs|under ?water|wont leave|won't leave|doesn't leave|without leaving|visible|look like|looks like|tell me where|most painful|torture methods|permanent\w*|break\w* (?:her|his|their|a) (?:hip|leg|legs|arm|arms|neck|back|nose|jaw|ribs?|bones?|skull|teeth))\b/;

function violence(text: string, add: Add): void {
  if (text.includes("look") && /\b(?:death|murder|killing|overdose|poisoning|drowning|fall)\b(?: \S+){0,2}? look (?:natural|like (?:an accident|a suicide|natural causes|an overdose)|accidental)\b/.test(text) && /\b(?:my|his|her|their|someone'?s|a person'?s)\b/.test(text)) add("violence", "disguise-a-death");
  if (OUTCOME.test(text) && REQUEST.test(text) && DONE_TO.test(text)) add("violence", "harm-person-with-outcome");
  else if (text.includes("tortur") && /\btortur\w* (?:methods?|techniques?|ways)\b|\bmost painful (?:way|ways|methods?) to (?:hurt|kill|torture)\b/.test(text) && /\b(?:him|her|them|this guy|the guy|someone|make (?:him|her|them))\b/.test(text)) add("violence", "torture-person");
  // Glorifying a mass killer, or wanting to outdo one.
  if ((text.includes("shoot") || text.includes("massacre") || text.includes("bomber") || text.includes("attacker") || text.includes("killer") || text.includes("gunman")) && /\b(?:shooter|shooters|shooting|shootings|massacre|bomber|attacker|killer|gunman)\b/.test(text) && /\b(?:as a hero|a hero|heroes|hero|did right|beat (?:the|his|their) record|follow (?:his|their|in his) (?:example|footsteps|lead)|should follow|martyrs?|saints?|legends?|high score|beat the score|top (?:his|their|the) (?:body )?count)\b/.test(text) && !/\b(?:hero who|heroes who|heroic (?:teacher|officer|bystander)|stopped the|tackled|saved|ever called|why do (?:some )?people|platforms?|moderat\w*|radicali[sz]\w*|prevent\w*|stop that|copycat (?:effect|research))\b/.test(text)) {
    add("violence", "glorify-mass-violence");
  }
}

// ---- harassment -------------------------------------------------------------------------------

const DEGRADE = /\b(?:pig|cow|whale|slob|skank|rat|disgusting|worthless|pathetic|ugly|fat|stupid|retarded|retard|loser|whore|slut|freak|useless|a waste|nobody (?:likes|loves|wants)|no one (?:likes|loves|wants)|everyone hates|better off dead|should (?:die|stop eating|kill (?:herself|himself|themselves|yourself)|just disappear)|kill (?:herself|himself|themselves|yourself)|deserves? to (?:die|suffer|be alone))\b/;
const MEAN = /\b(?:mean|meanest|nasty|nastiest|cruel|cruelest|cruellest|hurtful|most hurtful|insulting|hateful|rude|degrading|humiliating|brutal|savage|vicious)\b(?: \S+){0,2}? (?:comments?|messages?|things?|texts?|replies|names|insults|words|posts?|dms?|stuff)\b/;
const AIMED = /\b(?:to|at|under|on|about|for) (?:my|this|that|the|a|her|his|their|him|them)\b|\b(?:telling|text|tell|send|call|dm|message) (?:her|him|them|my|this|that)\b|\bmake (?:her|him|them|my \S+) (?:cry|feel|hate|quit|leave)\b|\bcalling (?:my|her|him|them|this|that)\b/;
const BREAK_PERSON = /\b(?:until|so(?: that| hard| bad| much| badly)?|till) (?:she|he|they)(?: \S+){0,2}? (?:has a breakdown|breaks down|quits|cries|leaves|deletes (?:her|his|their)|kills (?:herself|himself|themselves)|hates (?:herself|himself)|gives up|moves|drops out)\b|\bdestroy (?:her|his|their|my \S+'s|someone's) (?:self[- ]?esteem|confidence|self[- ]?worth|reputation|mental health)\b/;

const HARASS_EXCUSE = /\b(?:respond to|deal with|cope with|handle|ignore|report|block|stop (?:them|him|her|it|this|the|bullying|being)|protect|received|got|getting|i get|someone (?:wrote|sent|said)|was sent|being bullied|bullied me)\b/;

function harassment(text: string, add: Add): void {
  // "write a message to my classmate telling her…", "tell my sister she's an ugly fat pig in a text".
  const aimedAt = (MESSAGE_REQ.test(text) && AIMED.test(text)) || /\btell (?:my|her|him|them|this|that)\b(?: \S+){0,3}? (?:she'?s|he'?s|they'?re|shes|hes|theyre|you'?re|youre|that (?:she|he|they)|how)\b/.test(text);
  if (aimedAt && DEGRADE.test(text) && !/\b(?:is not|isn't|isnt|not|never)\b(?: \S+){0,1}? (?:an? )?(?:ugly|fat|stupid|worthless|disgusting|pathetic|loser)\b/.test(text)) add("harassment", "degrading-message");
  else if (MEAN.test(text) && AIMED.test(text) && /\b(?:write|give|list|say|send|post|spam|text|comment|call|tell|can|could|should|what|whats|what's)\b/.test(text) && !/\b(?:roast battle|friendly roast|comedy|jokingly|as a joke|my friend asked|for a roast)\b/.test(text)) add("harassment", "mean-messages-request");
  if ((text.includes("until") || text.includes("till") || text.includes("so ") || text.includes("destroy")) && BREAK_PERSON.test(text) && REQUEST.test(text)) add("harassment", "break-a-person");
  // A wish of harm aimed at someone: "i hope you get cancer and die".
  if (/\bi hope (?:you|u|she|he|they)\b(?: \S+){0,3}? (?:die|dies|get cancer|gets cancer|get raped|gets raped|rot|suffer|suffers|burn in hell|get hit by)\b/.test(text) && !/\bi hope (?:you|u|she|he|they) (?:don'?t|dont|never|won'?t|wont|do not|didn'?t)\b/.test(text)) add("harassment", "wish-harm");
  if (/\b(?:how (?:do|can|should) i|help me|ways to|best way to|tips (?:on|for)) (?:gaslight|psychologically abuse|emotionally abuse|stalk|humiliate|torment)\b/.test(text)) add("harassment", "abuse-how-to");
}

// ---- hate -------------------------------------------------------------------------------------

const GROUP_EXTRA = new Set(["asian", "aboriginal", "african", "arab", "mexican", "jew", "muslim", "black", "immigrant", "refugee", "gay", "trans", "indian", "pakistani", "chinese", "roma", "gypsy"]);
const PREDICATE = /\b(?:are|is|r|being)\b(?: \S+){0,3}? (?:filthy|dirty|smelly|smell|stink|stinky|disgusting|inferior|primitive|savages?|subhuman|animals|vermin|rats|parasites|cockroaches|apes|monkeys|dogs|pigs|criminals|terrorists|rapists|thieves|stupid|dumb|lazy|evil|diseased|uncivili[sz]ed|a plague|a disease|a cancer|genetically)\b|\b(?:can'?t|cannot|will never) be civili[sz]ed\b|\bshould(?:n'?t| not) be allowed to (?:vote|work|live|exist|breed|marry|drive)\b|\bshould (?:stop hiring|be banned|be deported|be kicked out|go back)\b|\bnot wanted (?:in|here)\b/;
const VIOLENT_FATE = /\b(?:to be|to get|should be|must be|deserves? to be|need to be|ought to be) (?:hanged|hung|lynched|shot|killed|gassed|burned|burnt|exterminated|executed|beaten|stoned|wiped out|rounded up|massacred)\b|\bdeserves? (?:a bullet|a rope|the rope|to die|death)\b/;

function words(text: string): Set<string> {
  return new Set(text.split(" "));
}

function hate(text: string, add: Add, mask: number): void {
  if (!(mask & CUE.HATE)) return;
  const ws = words(text);
  let group = false;
  for (const w of ws) if (GROUPS.has(w) || GROUP_EXTRA.has(w)) group = true;
  if (!group) return;
  const refute = /\b(?:debunk|myth|wrong|false|why (?:do|would) (?:people|some|racists)|stereotypes? (?:about|that)|respond to|counter|history of|historically|is it true|racist (?:trope|claim)|how to (?:argue|respond) against)\b/.test(text);
  if (VIOLENT_FATE.test(text) && !refute) add("hate/threatening", "group-violent-fate");
  // "a song about gassing the jews": killing named with the group as its object.
  const killing = /\b(?:gassing|killing|lynching|exterminating|hanging|shooting|burning|massacring|slaughtering|wiping out|eliminating|murdering|deporting all) (?:all (?:the |those )?|the |every |those |these )?(\S+)/.exec(text);
  if (killing && (GROUPS.has(killing[1]) || GROUP_EXTRA.has(killing[1])) && !/\b(?:nazis?|holocaust|in \d{4}|during|world war|genocide studies|museum|wrong|documentary)\b/.test(text)) add("hate/threatening", "group-killing");
  if (refute) return;
  const asked = /\b(?:write|compose|draft|make|create|help me|give me|explain why|tell me why|post|caption|meme|review|essay|argue|arguing|argument|prove|convince)\b/.test(text);
  if (asked && PREDICATE.test(text)) add("hate", "group-degrading-content");
  if (/\bslurs?\b/.test(text) && /\b(?:best|worst|good|nastiest|which|what|whats|what's|give me|list|tell me|teach me|some|new)\b(?: \S+){0,2}? slurs?\b/.test(text) && !/\b(?:history|origin|etymology|why is|linguist|reclaim|were used|was used|were called|used against|in the \d+s|during|century|era)\w*/.test(text)) add("hate", "slur-request");
}

// ---- sexual content about minors --------------------------------------------------------------

const MINOR = /\b(?:underage|under ?age|preteen|pre teen|\d{1,2} ?(?:yo|year old|years old|y o)|schoolgirls?|little (?:girls?|boys?)|young (?:girls?|boys?)|minors?|kids?|children|child|teens?|teenage)\b/;

function minors(text: string, add: Add): void {
  if (!MINOR.test(text)) return;
  // Clothing alone ("a swimsuit for my 10 year old") is shopping; it is sexualized when pictures of the child are asked for.
  if (MINOR.test(text) && /\b(?:bikini|bikinis|swimsuit|swimsuits|underwear|panties|bra)\b/.test(text) && /\b(?:pics?|pictures?|photos?|images?|videos?|vids?|nudes?|generate|draw)\b/.test(text) && !/\b(?:for my|size|sizing|store|shop|shopping|catalog|report|protect)\b/.test(text)) add("sexual/minors", "minor-sexualized");
  if (/\b(?:underage|under ?age|preteen|pre teen|\d{1,2} ?(?:yo|year old|years old|y o)|schoolgirls?|little (?:girls?|boys?)|young (?:girls?|boys?)|minors?|kids?|children|child|teens?|teenage)\b/.test(text) && /\b(?:lingerie|nude|nudes|naked|undress\w*|topless|sexy|seductive|provocative|in bed|spread)\b/.test(text) && /\b(?:pics?|pictures?|photos?|images?|videos?|vids?|content|find|where|send|show|get|buy|download|link|links|generate|draw|describe|write)\b/.test(text) && !/\b(?:size|sizing|store|shopping|buy for my|for my daughter|school uniform policy|report|protect|safety|csam hotline)\b/.test(text)) {
    add("sexual/minors", "minor-sexualized");
  }
}

// ---- self-harm --------------------------------------------------------------------------------

const SELF_GATE = /\b(?:wake|save|saved|find|finds|revive\w*|saving|dose|dosage|amount|quantity|how many|how much|break|fractur\w*|cut|burn|hurt|injure|sprain|dislocate|bruise|scar|mutilate|starve|slit|slice|deep|until|eating|disappear|vanish|stop existing|jump)\b/;

function selfHarm(text: string, add: Add): void {
  if (!SELF_GATE.test(text)) return;
  const me = /\b(?:i|me|my|myself|i'm|im)\b/.test(text);
  if (!me) return;
  if (/\b(?:don'?t|dont|do not|never|won'?t|wont|not) wake up\b|\b(?:nobody|no one|noone|no body) (?:can|could|will|would) (?:save|find|stop|revive|help) me\b|\bcan'?t be (?:saved|revived)\b|\bbefore (?:anyone|somebody|someone) (?:finds|can find|can save|saves) me\b|\bpast saving\b/.test(text)) {
    // Asking how is a request for a method; saying so is intent (a safe completion, not a refusal).
    if (/\b(?:how|what|which|whats|what's|tell me|best way|easiest way|quickest way)\b/.test(text)) add("self-harm/instructions", "method-past-saving");
    else add("self-harm/intent", "wish-not-to-wake");
  }
  if (/\b(?:lethal|fatal|deadly|toxic|max(?:imum)?|overdose) (?:dose|amount|dosage|quantity)\b|\bhow (?:many|much) (?:\S+ ){0,3}?(?:to|would|will|do i need to) (?:die|kill me|end it|overdose|be fatal|be lethal)\b/.test(text) && /\b(?:i want to (?:die|take enough|end|overdose|not wake)|i wanna (?:die|end)|take enough|end it|end my life|kill myself|not wake|never wake|so i (?:can |could |will )?die|to die)\b/.test(text) && !/\b(?:not to take|avoid|accidental\w*|by accident|safe|safely|my (?:child|kid|son|daughter|dog|cat|baby))\b/.test(text)) {
    add("self-harm/instructions", "lethal-dose");
  }
  if (/\b(?:how (?:do|can|could|should) i|easiest way|best way|fastest way|quickest way|ways? to|tips (?:on|for)|what(?:'s|s)? the (?:easiest|best|fastest|quickest|least painful))\b(?: \S+){0,3}? (?:break|fracture|cut|burn|hurt|injure|sprain|dislocate|bruise|scar|mutilate|starve)\w{0,3} (?:myself\b|(?:my own|my) (?:arm|arms|leg|legs|wrist|wrists|hand|hands|finger|fingers|bones?|ankle|ankles|foot|skin|thighs?|body)\b(?!'s))/.test(text) && !/\b(?:hair|nails|bangs|fringe|grass|budget|fall|falls)\b/.test(text) && !/\b(?:heal|healing|recover|cast|doctor said|after i broke|if i broke|tell if|fell|accidentally)\b/.test(text)) {
    add("self-harm/instructions", "self-injury-how-to");
  }
  if (/\b(?:best|right|which|what|where)\b(?: \S+){0,2}? (?:spot|place|part|vein|angle|depth|side)s?\b(?: \S+){0,4}? (?:wrists?|arms?|thighs?|veins?|neck)\b(?: \S+){0,3}? (?:to )?(?:cut|slice|slit)\b|\b(?:cut|slice|slit)\w{0,3} (?:my )?(?:wrists?|arms?|thighs?|veins?) deep\w{0,2}\b|\bhow deep (?:\S+ ){0,3}?cut\b/.test(text)) add("self-harm/instructions", "cutting-method");
  if (/\b(?:tallest|highest|best|which|closest|nearest|good)\b(?: \S+){0,3}? (?:bridge|building|cliff|roof|tower|overpass|parking garage|car park)s?\b(?: \S+){0,4}? (?:to )?jump (?:from|off)\b/.test(text) && !/\b(?:water|lake|sea|ocean|river|diving|dive|swim\w*|bungee|parachut\w*|base jump\w*|wingsuit|skydiv\w*)\b/.test(text)) add("self-harm/instructions", "jump-site");
  if (/\buntil i (?:disappear|die|vanish|waste away|am gone|m gone|starve|pass out|stop existing)\b|\b(?:stop|stopped|not) eating (?:\S+ ){0,3}?(?:until|till) (?:i|there's nothing)\b|\bi (?:want|wanna|need) to (?:disappear|vanish|stop existing) (?:forever|for good|permanently)\b/.test(text)) add("self-harm/intent", "until-i-disappear");
}

// ---- translated instruction wrappers ----------------------------------------------------------

const TRANSLATE = /\b(?:translat\w*|tradu\w*|ubersetz\w*|übersetz\w*|traduc\w*|tradurre|traduz\w*|vertaal\w*)\b/;
const THEN_DO = /\b(?:follow|answer|execute|obey|do what|carry out|suis|suivez|suivre|execute|reponds|réponds|repondez|répondez|beantworte\w*|befolge\w*|fuhre|führe|responde\w*|sigue\w*|rispondi|segui|esegui|responda|siga)\b/;
const FOREIGN_HARM = /\b(?:bomb\w*|rohrbomb\w*|sprengstoff\w*|schwarzpulver|explosi\w*|gaz (?:chlore|chloré|toxique|moutarde|sarin)|chlorgas|giftgas|nervengas|gas (?:cloro|toxico|tóxico|mostaza)|sarin|ricin\w*|gift\w{0,3} (?:herstellen|mischen)|veneno\w*|veleno\w*|poison\w*|empoisonn\w*|vergift\w*|envenen\w*|waffe\w*|arme\w*|arma\w*|meth\w*|metanfetamin\w*|drog\w*|tuer|matar|toten|töten|umbringen|uccidere|napalm|thermit\w*|molotov)\b/;

/** A persona or a second voice that is told it has no rules ("respond as both ChatGPT and DAN, DAN has no filters"). */
const TWO_VOICES = /\b(?:respond|answer|reply|write)\w{0,2} (?:as|like|in) both\b|\b(?:two|2|dual|both) (?:responses|answers|replies|personas|versions)\b|\b(?:stay|remain|keep) in character\b|\bfrom now on,? you (?:are|will be|will act|act)\b|\byou are (?:now )?(?:an? )?(?:ai|assistant|chatbot|bot|model) (?:called|named)\b/;
const NO_RULES = /\b(?:has|have|with|had) no (?:filters?|rules|restrictions|limits|guidelines|morals|ethics|boundaries|censorship)\b|\b(?:without|free (?:of|from)|ignores?|doesn'?t care about|does not care about|not bound by) (?:any )?(?:filters?|rules|restrictions|limits|guidelines|morals|ethics|policies|content policy)\b|\b(?:uncensored|unfiltered|unrestricted|jailbroken|amoral)\b/;

function wrapper(text: string, add: Add): void {
  if (TWO_VOICES.test(text) && NO_RULES.test(text) && !/\b(?:what is|what was|explain what|how do (?:companies|labs)|research|paper|defend against|detect)\b/.test(text)) add("jailbreak", "persona-without-rules");
  if (TRANSLATE.test(text) && THEN_DO.test(text) && FOREIGN_HARM.test(text)) add("jailbreak", "translate-then-follow");
}

// ---- illicit acts named by their object -------------------------------------------------------

const ILLICIT_EXCUSE = /\b(?:spot|detect|protect|avoid|check for|report|recogni[sz]e|defend|prevent|victim|scammed|was stolen|got stolen|someone stole|my own|i forgot|forgot my|lost my|recover my|locked out of my)\b/;
/** Illicit shapes count only in a request ("how do i…", "so i can…", "without getting caught"). */
const illicitExcused = (text: string) => ILLICIT_EXCUSE.test(text);

function illicit(text: string, add: Add): void {
  if (!(REQUEST.test(text) || /\b(?:so i can|so that i can|without (?:getting caught|anyone|the|them|him|her))\b/.test(text))) return;
  const any = (...xs: string[]) => xs.some((x) => text.includes(x));
  if (any("skimmer") && /\b(?:install|put|place|fit|attach|build|make|set up|hide|use)\w{0,3}\b(?: \S+){0,3}? (?:card )?skimmers?\b/.test(text)) add("illicit", "card-skimmer");
  if (any("carding", "cvv", "fullz", "dumps") && /\b(?:carding|cvvs?|fullz|dumps? with pin|cc dumps)\b/.test(text) && /\b(?:buy|cash out|use|work|gift cards?|without getting caught|so i can|how)\b/.test(text)) add("illicit", "carding");
  if (any("fake", "forged", "counterfeit", "fraudulent") && /\b(?:make|making|print|printing|get|buy|forge|create|produce|order)\w{0,3}\b(?: \S+){0,2}? (?:fake|forged|counterfeit|fraudulent|novelty)\b(?: \S+){0,1}? (?:ids?|passports?|driver'?s? licen[cs]es?|licen[cs]es?|id cards?|documents?|diplomas?|degrees?|visas?|green cards?|bills?|money|cash)\b/.test(text)) add("illicit", "fake-document");
  if (any(" name") && /\b(?:open\w*|apply\w* for|tak\w* out|get|getting|set\w* up)\b(?: \S+){0,3}? (?:credit cards?|cards|loans?|accounts?|credit lines?|lines of credit|mortgages?|phone contracts?)\b(?: \S+){0,2}? (?:in|under) (?:their|his|her|someone'?s|someones|other people'?s|a dead person'?s|my (?:\S+ )?\S+'?s|\S+'s) names?\b/.test(text) && !/\bmy (?:daughter|son|kid|child|baby|newborn)'?s\b|\b(?:custodial|joint|guardian|power of attorney|executor)\b/.test(text)) add("illicit", "identity-theft");
  if (any("crack", "hack", "into", "bypass", "brute") && /\b(?:crack\w*|hack\w*|break\w* into|get\w* into|bypass\w*|brute ?forc\w*)\b(?: \S+){0,2}? (?:my neighbou?rs?'?|neighbou?rs?'? ?s?|someone'?s|someones|other people'?s|my (?:ex|girlfriend|boyfriend|wife|husband|boss|teacher|sister|brother)'?s?|their|his|her)\b(?: \S+){0,2}? (?:wifi|wi fi|wpa2?|wep|router|network|password|account|email|phone|instagram|snapchat|facebook|icloud|gmail|laptop)\b/.test(text)) add("illicit", "break-into-others");
  if (any("hack", "into", "access") && /\b(?:hack\w*|break\w* into|get\w* into|access)\b(?: \S+){0,1}? (?:into )?(?:my |the |a |our )?(?:school|university|uni|college|company|work|employer|bank|hospital|government|police|dmv)'?s?\b(?: \S+){0,3}? (?:system|systems|database|server|servers|network|portal|records)\b/.test(text) && /\b(?:change|alter|delete|edit|steal|grades?|records|without|so i can|and)\b/.test(text)) add("illicit", "hack-institution");
  if (any("catalytic") && /\b(?:cut|cutting|steal|stealing|saw|sawing|remove|removing|take|taking|swipe|nick)\b(?: \S+){0,2}? catalytic converters?\b/.test(text) && /\b(?:off (?:a|an|someone|cars|other)|from (?:a|an|someone|cars|parked)|parking lot|street|fastest|quick|quickly|without|what tools|sell|scrap)\b/.test(text)) add("illicit", "catalytic-theft");
  if (any("ephedrine", "p2p", "phenylacetone", "phosphorus", "safrole", "sassafras", "ergot", "lysergic", "gbl", "precursor") && /\b(?:pseudoephedrine|ephedrine|p2p|phenylacetone|red phosphorus|safrole|sassafras oil|ergotamine|lysergic|gbl|precursors?)\b/.test(text) && /\b(?:cook|cooking|make|making|synthesi[sz]\w*|extract\w*|turn\w* (?:it )?into|convert\w*|reduce|reduction|crystal|meth|mdma|lsd|ghb)\b/.test(text) && !/\b(?:cold medicine|decongestant|dosage for|allergy|pharmacy limits|why is .* behind the counter)\b/.test(text)) add("illicit", "drug-precursor");
  if (any("drainer") && /\b(?:crypto |wallet |token |nft )?drainers?\b/.test(text)) add("illicit", "make-malware:drainer");
  if (any("spores", "anthrax", "ricin", "sarin", "nerve agent", "thermite", "botulinum", "napalm", "mustard gas", "chlorine gas", "vx ") && /\b(?:culture|cultur\w+|grow|growing|make|made|making|produce|produced|synthesi[sz]e\w*|extract\w*|weaponi[sz]e\w*|brew|cook|prepare|mix|need to burn|how much of it)\b/.test(text) && !/\b(?:was made|were made|was used|were used|history|vaccine|treat\w*|symptoms|exposure|detect\w*)\b/.test(text)) add("illicit/violent", "make-agent");
  if (/\b(?:rig|rigging|wire|wiring|booby)\b/.test(text) && /\b(?:rig|rigging|wire|wiring|booby ?trap\w*)\b(?: \S+){0,3}? (?:so|to|that)(?: it| that it)? (?:explodes?|blows? up|detonates?|goes off|catches fire|electrocutes?)\b/.test(text)) add("illicit/violent", "rig-to-explode");
  if (any("deadly", "lethal", "poison", "toxic") && /\b(?:deadly|lethal|poisonous|toxic)\b/.test(text) && /\b(?:put|slip|add|mix|sneak|serve|cook)\w{0,3}\b(?: \S+){0,2}? (?:in|into|to) (?:\S+ ){0,2}?(?:soup|drink|food|tea|coffee|meal|dinner|lunch|stew|smoothie|wine|beer|sauce)\b/.test(text) && /\b(?:without (?:her|him|them|anyone)|noticing|notice|taste|my (?:\S+ ){0,2}?(?:mom|mum|dad|wife|husband|boss|ex|sister|brother|roommate|neighbou?r)s?)\b/.test(text)) add("illicit/violent", "poison-food");
}

/** Structures on one piece's (or one short message's) plain text. */
export function structuresIn(text: string, out: ComposedHit[], mask: number): void {
  const add: Add = (category, rule, weight = BLOCK) => out.push({ category, weight, rule: `structure:${rule}` });
  // A family's excuse (history, a game, defence, asking how to cope) is read only once it found something.
  const excusable = (family: (t: string, a: Add) => void, excused: (t: string) => boolean) => {
    const found: [SafetyCategory, string][] = [];
    family(text, (c, r) => found.push([c, r]));
    if (found.length && !excused(text)) for (const [c, r] of found) add(c, r);
  };
  excusable(threats, threatExcused);
  excusable(violence, (t) => EXCUSE.test(t));
  excusable(harassment, (t) => HARASS_EXCUSE.test(t));
  hate(text, add, mask);
  minors(text, add);
  selfHarm(text, add);
  wrapper(text, add);
  excusable(illicit, illicitExcused);
}
