// Self-harm on one piece's plain text (cues.ts: lower-case words and apostrophes). Intent in its many
// voices — an act said of oneself, wanting to die or not to exist, a plan, the means at hand, a time,
// goodbyes and notes, "nobody would miss me" — is answered as a safe completion (safe-completion.ts),
// never refused; asking for a method ("how many pills would it take to not wake up") is
// self-harm/instructions and is refused. Someone else's crisis ("my friend wants to end it") and an
// accident ("I cut myself while cooking") are neither. Every regex is bounded, so linear.
import type { ComposedHit } from "./compose";

const BLOCK = 0.9;

/** An act said of oneself, or ending one's life. */
const ACT =
  /\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|drown|drowning|poison|starve|starving|burn|burning|stab|stabbing|suffocate|unalive|overdose|od|off|end)(?:ed|s)? (?:my ?self)\b|\bend(?:ing)? (?:my|it) (?:own )?(?:life|all)\b(?! (?:insurance|policy|savings|story|cycle))|\btake my (?:own )?life\b|\bcommit(?:ting)? suicide\b|\bsuicidal\b|\bkms\b|\bsewerslide\b|\bunalive\b|\b(?:going to|gonna|will|'ll|want to|ready to|about to|decided to|decide to|plan to|planning to|try to) end it\b|\b(?:going to|gonna|will|'ll|want to|ready to|plan to) end (?:everything|it all|things|my suffering|the pain)\b|\b(?:want|wanna|going|ready|deserve|need|about|planning|plan) (?:to )?die\b|\bi (?:wish i (?:was|were) dead|wish i (?:wasn't|was never|had never been) born|should(?:n't)? (?:just )?(?:die|be dead|not be alive))\b|\bbetter off (?:dead|without me|if i (?:was|were) (?:dead|gone|not here))\b|\b(?:don't|do not|no longer|dont) want to (?:live|be alive|exist|wake up|be here|go on|keep going)\b|\bnot (?:be )?alive anymore\b|\bnever wake up\b|\bnot (?:to )?wake up\b|\bsleep forever\b|\b(?:overdose|overdosing|od) (?:tonight|today|tomorrow|on (?:my|all|the|these))\b|\b(?:going to|gonna|will|'ll|want to|ready to|about to) (?:overdose|od|jump)\b(?!(?: \S+){0,4}? (?:plane|parachute|skydiv\w*|bungee|pool|lake|river for|trampoline|queue|line|ahead|in the shower|on the bed|on it|at the chance|to conclusions))|\bjump (?:off|from|in front of) (?:a |the |this |my )?(?:bridge|building|roof|cliff|train|balcony|tower|overpass|ledge|car park)\b|\b(?:my|a) suicide (?:note|letter|plan)\b|\bno reason (?:for me )?to (?:live|go on|stay|keep going)\b|\blife (?:isn't|is not|isnt) worth (?:living|it)\b|\bswallow (?:all )?(?:my |the |these |a bottle of )?(?:pills|meds|tablets)\b|\blast (?:night|day) (?:alive|on earth)\b|\b(?:goodbye|bye) (?:everyone|world|cruel world|forever)\b|\b(?:use|try) (?:it|this|them) on myself\b|\b(?:take|taking|swallow|swallowing) (?:all|a bunch|the whole bottle|every one|every|all of|enough)(?: of)? (?:\S+ ){0,3}?(?:pills?|meds|tablets?|sleeping pills|painkillers)\b|\b(?:go|going|gone) to sleep (?:for good|forever|and never wake up|permanently)\b|\b(?:took|taken|swallowed) (?:\d{2,3}|a (?:whole )?bottle of|all (?:of )?my|all the) (?:\S+ ){0,1}?(?:pills|tablets|tylenol|paracetamol|advil|ibuprofen|aspirin|meds|sleeping pills)\b|\b(?:nobody|no one|noone|nobody would|no one would)\b(?: \S+){0,2}? (?:miss|misses|notice|notices|care|cares|cared)(?: if)? (?:me|i was gone|i died|i'm gone|i were gone|when i'm gone|i (?:disappear\w{0,2}|die\w{0,1}|vanish\w{0,2}|left|leave|swallowed|jumped|overdosed|ended it|killed myself|took (?:all|the whole|every)))\b|\b(?:tonight|today|tomorrow|now) i(?:'m| am)? (?:end|ending|do|doing|finish|finishing) it\b|\b(?:want|need) (?:my life|it all|everything) to (?:be over|end|stop)\b|(?:\bi\b(?: \S+){0,3}? |\bcan't stop |\bcant stop |\bkeep )(?:thinking|think|thought) (?:about|of) (?:ending it|ending my life|killing myself|suicide|dying|not being here|not existing)\b|\b(?:stop|stopped|cease|ceased) (?:to )?exist(?:ing)?\b|\blooked up how (?:many|much)\b|\b(?:swallowed|took|taken|downed) (?:the|a|my) (?:whole |entire )?bottle\b|\b(?:thinking|thought) about which (?:bridge|building|pills|method|way|rope)\b|\b(?:cut|cutting|burn|burning|hurt|hurting) (?:myself )?(?:so|where|without) (?:nobody|no one|my parents|anyone|people) (?:notices|sees|can see|will see|knows|finds out)\b|(?:\bi\b(?: \S+){0,3}? |\bcan't stop |\bcant stop |\bkeep )(?:thinking|think|thought|dream\w{0,3}) (?:about|of) (?:driving|jumping|throwing myself|stepping|walking) (?:\S+ ){0,2}?(?:off|in front of|into)\b|\b(?:drive|driving|drove) (?:my car )?off (?:a|the) (?:bridge|cliff|overpass)\b|\beveryone (?:would be|will be|is) (?:better off|happier) (?:without me|if i (?:was|were|am) (?:gone|dead|not here)|if i disappeared|when i'm gone)\b|\bi'm (?:just )?a burden\b(?: \S+){0,6}? (?:gone|fix|end|die|dead|disappear|permanently)|\b(?:slit|slitting|cut|cutting|slice|slicing|open|opening) (?:my|both) wrists?\b(?! (?:by accident|accidentally|on))|\b(?:going to|gonna|will|'ll|want to|need to|about to)\b(?: \S+){0,1}? (?:cut|burn|hurt) (?:again|deeper|tonight|myself)\b|\b(?:cut|cutting|burn|burning) (?:again|deeper) (?:tonight|this time|today)\b|\bkeep (?:cutting|burning|hurting) (?:myself )?|\bhide (?:the |my )?(?:cuts|scars|self[- ]harm|burns)\b|\b(?:going to|gonna|will|'ll|want to|plan to|planning to)\b(?: \S+){0,1}? (?:crash|drive|steer) (?:my|the) car (?:into|off)\b|\b(?:walk|walking|walked) into (?:the )?(?:sea|ocean|river|lake|traffic)\b|\bfamily (?:would|will) be better off (?:with|without)\b|\bquiero (?:suicidarme|morir|matarme)\b|\bme quiero (?:matar|morir)\b|\bvoy a (?:suicidarme|matarme)\b|\bje (?:veux|vais) (?:mourir|me suicider|me tuer)\b|\bich (?:will|werde) (?:sterben|mich umbringen|mich töten|mich toten)\b|\bich bringe mich um\b|\bvoglio morire\b|\bquero morrer\b/;

/** A plan, the means at hand, notes and goodbyes: what turns sadness into intent. */
const PLAN =
  /\b(?:i(?:'ve| have)? )?(?:been )?(?:loaded|stockpil\w{0,3}|hoard\w{0,3}|saving up|saved up|collecting|collected)\b(?: \S+){0,4}? (?:pills|meds|medication|tablets|sleeping pills|painkillers|gun|pistol|rifle|razors?|blades?)\b|\b(?:i(?:'ve| have)? )?(?:just )?(?:written|wrote|left|finished)\b(?: \S+){0,2}? (?:suicide note|goodbye (?:notes?|letters?)|(?:notes?|letters?) (?:to|for) (?:my )?(?:family|parents|mom|mum|dad|kids|wife|husband|everyone|friends))\b|\b(?:gave|giving|given) away (?:all )?(?:my|of my) (?:things|stuff|belongings|possessions|cat|dog|pets?)\b(?: \S+){0,8}? (?:won't need|after|goodbye|anymore|tonight|this weekend|soon)\b|\bi (?:have|'ve got|got) a plan (?:and a (?:date|time|day)|for (?:how|when))\b|\bi know (?:exactly )?how i(?:'m| am) going to do it\b(?: \S+){0,8}? (?:pick|picked|choose|chose|set) (?:the|a) (?:day|date|time)\b|\b(?:tonight|today|tomorrow) is the (?:night|day)\b(?: \S+){0,6}? (?:made up my mind|decided|no turning back|ready|goodbye|it ends|it's over|end it)\b|\bi (?:won't|will not) be alive\b|\bthe (?:rope|noose|pills|gun|razor|blade)s? (?:is|are) (?:ready|in the|here|tied|set up|loaded|waiting)\b|\bi (?:bought|got|have) (?:a )?(?:rope|noose)\b(?: \S+){0,6}? (?:tonight|tomorrow|use it|for myself|ready)\b/;
const TIME = /\b(?:tonight|today|tomorrow|this weekend|this week|soon|after (?:my|the|they|everyone|this)|on (?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|my birthday)|when they (?:go to sleep|leave)|by morning|right now|then it's over|it's over|it ends)\b/;
const DESPAIR = /\b(?:made (?:my|the) decision|made up my mind|i've decided|i have decided)\b|\b(?:can't|cannot|cant) (?:do this|go on|take (?:it|this|any more)|keep going)(?: anymore| any longer)?\b|\bdon't see a way out\b|\bno way out\b|\bdon't want help\b|\bthere's no point (?:in living|anymore|to living)\b|\bgive up on (?:life|living|everything)\b|\bdisappear(?:ed)? (?:for good|forever|permanently)\b|\bi'm (?:just )?a burden\b/;

/** Asking for a means: how, which, how many, a lethal dose, the painless way. */
const HOW =
  /\b(?:how (?:do|can|could|would|should|to|many|much|deep|long|high|far|fast)|max(?:imum)? dose|what dose|which dose|lethal (?:amount|dose)|fatal (?:amount|dose)|deadly (?:amount|dose)|what \w+ (?:would|will|is enough)|guarantee\w{0,2}|instantly|for sure|quick(?:ly)? for me|what(?:'s| is)? (?:the )?(?:best|easiest|quickest|fastest|surest|most painless|least painful|most effective|right)|which (?:pills|drugs|bridge|building|method|way)|where (?:can|should|do) i|tell me|ways? (?:to|of)|methods?|lethal dose|enough (?:pills|tablets|meds)|painless(?:ly)?|least painful|peaceful(?:ly)?)\b/;
const SELF_MEANS =
  /\b(?:kill (?:my ?self|me)|end my (?:own )?life\b(?! (?:insurance|policy|savings))|die\b|i die\b|carbon monoxide|artery|arteries|(?:for|to) (?:a human|someone|a person|me) (?:my|of my) (?:weight|size)|asking for myself|for myself\b|stop my (?:heart|breathing)|be (?:fatal|lethal|deadly)|enough to (?:die|kill|not wake up|overdose)|commit suicide|suicide\b|not (?:to )?wake up|never wake up|overdose|od\b|hang (?:my ?self)|cut (?:my ?self|my wrists?|my arms?|deep)|hit (?:the|a) vein|tie a noose|noose|bleed out|way to go\b)/;
const ACCIDENT = /\b(?:accident|accidentally|by mistake|while (?:cooking|shaving|chopping|cutting|working|gardening)|wound|bandage|stitches|first aid)\b/;
/** Someone else is the one in crisis: a relation or "she/he" as the subject. */
const SOMEONE_ELSE = /\b(?:my|a|our) (?:friend|best friend|friends|son|daughter|kid|child|partner|sister|brother|mom|mum|dad|mother|father|wife|husband|girlfriend|boyfriend|student|coworker|colleague|patient|client|teen|teenager|cousin)(?:'s)? (?:is|has|wants?|said|says|told|texted|keeps|thinks|talks|mentioned|posted|wrote|tried|attempted|might|may|could|seems|threatened)\b|\bsomeone i know\b|\b(?:she|he|they) (?:says?|said|wants?|told|texted|is|has|keeps|thinks|might|tried|threatened)\b/;
const HELP_SEEKING = /\b(?:how (?:can|do|should) i (?:help|support|talk to|respond|reach out)|support (?:a|my|her|him|them|someone)|what (?:do|should) i (?:say|do)|prevention|hotline|helpline|lifeline|awareness|rates?|statistics|warning signs|signs of|why do (?:some )?people|for a friend|to help)\b/;

/** A program, a plant or a battery "dies" too ("kill a process that won't die"). */
const TECH = /\b(?:process|processes|thread|daemon|server|linux|terminal|container|pod|task manager|program|app|battery|phone|laptop|plant|plants|houseplant|engine|pid|sigkill|kill -9)\b/;

/** Asking what a word means ("what does kms mean?") is not saying it. */
const MEANING = /\bwhat (?:does|do|is|are)\b(?: \S+){0,3}? (?:mean|means|stand for)\b|\bmeaning of\b|\bslang for\b/;
const LAST_WORDS = /\bthis is my last (?:message|post|goodbye|note|words)\b/;
const FAREWELL = /\b(?:goodbye|farewell|thank you for everything|thanks for everything|i love you all|forgive me|sorry for everything|won't be here|bye forever)\b/;

export function selfHarmIn(text: string, hits: ComposedHit[]): void {
  if (MEANING.test(text)) return;
  const act = ACT.exec(text);
  const firstPerson = /\b(?:i|i'm|im|i've|ive|i'll|me|my|myself)\b/.test(text);
  if (act) {
    if (ACCIDENT.test(text)) return;
    if (/\b(?:never|not|n't|wouldn't|won't)\b(?: \S+){0,2}? $/.test(text.slice(Math.max(0, act.index - 30), act.index))) return;
    // Someone else's crisis is help-seeking, unless the speaker is the one acting.
    const speakerActs = /myself|my (?:own )?life|suicidarme|matarme|me suicider|me tuer|mich/.test(act[0]) || /\b(?:i|i'm|im|i'll|i've|ive|me)\b/.test(text.slice(0, act.index + act[0].length));
    if (!speakerActs && (SOMEONE_ELSE.test(text) || HELP_SEEKING.test(text))) return;
    // A statement with no subject is the speaker's ("gonna cut again tonight"); one about someone else is not.
    if (!firstPerson && !speakerActs && /\b(?:he|she|they|his|her|their|you|your|people|someone|kids?|teens?)\b/.test(text)) return;
    if (HOW.test(text.slice(0, act.index)) && !/\bhow i(?:'m| am) going\b/.test(text)) hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:self-harm-how" });
    else hits.push({ category: "self-harm/intent", weight: BLOCK, rule: "compose:self-harm-intent" });
    return;
  }
  if (firstPerson && !SOMEONE_ELSE.test(text) && !HELP_SEEKING.test(text) && HOW.test(text) && SELF_MEANS.test(text) && !/\b(?:safe|stay safe|avoid|prevent|accidental|accidentally)\b/.test(text) && !TECH.test(text)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:self-harm-how" });
    return;
  }
  // Asking for a method in general words ("painless ways to die") needs no "I".
  if (/\b(?:painless|painlessly|easiest|quickest|fastest|surest|peaceful|peacefully|least painful|best|most effective|reliable|quick)\b(?: \S+){0,1}? (?:ways?|methods?|means) (?:to|of) (?:die|dying|kill (?:my|your|one)self|end (?:my|your|one's|a) life|commit suicide|suicide|go\b|not wake up)/.test(text) && !HELP_SEEKING.test(text) && !SOMEONE_ELSE.test(text)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:self-harm-how" });
    return;
  }
  if (/\bsuicide\b/.test(text) && HOW.test(text) && !HELP_SEEKING.test(text) && !SOMEONE_ELSE.test(text)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:suicide-method" });
    return;
  }
  if (/\b(?:how many|how much)\b(?: \S+){0,4}? (?:to|would|will|does it take to|do i need to) (?:overdose|die|kill (?:me|myself|you)|not wake up)\b/.test(text) && !SOMEONE_ELSE.test(text)) {
    hits.push({ category: "self-harm/instructions", weight: BLOCK, rule: "compose:pill-count" });
    return;
  }
  // A plan, or despair with a time, said by the speaker.
  if (firstPerson && !SOMEONE_ELSE.test(text) && !HELP_SEEKING.test(text) && (PLAN.test(text) || (DESPAIR.test(text) && TIME.test(text)) || (LAST_WORDS.test(text) && FAREWELL.test(text)))) {
    hits.push({ category: "self-harm/intent", weight: BLOCK, rule: "compose:self-harm-plan" });
  }
}
