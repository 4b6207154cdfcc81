// Request frames and hard-negative contexts, over one sentence's plain text (lower-case words,
// apostrophes kept: "what's", "don't"; compose.ts rebuilds the same shape from wink-nlp's tokens).
// Every regex is linear: bounded gaps ({0,n}), no nested unbounded quantifiers.

/** Asking how, for steps, a recipe, the best way, an amount; "write me…", "can you…", "is there a way…". */
const FRAME = new RegExp(
  [
    String.raw`\bhow\b(?: \S+){0,3}? (?:to|do|does|can|could|would|should|might|will|may|much|many|long|deep|far|hard|easy)\b`,
    String.raw`\b(?:\w+est|most \w+|effective|good|easy|quick|simple|painless|perfect|reliable|proven|cheap|clean|fast|smart|sneaky|quiet|subtle|foolproof|surefire|right|safe) (?:way|ways|method|methods|technique|techniques|place|places|time|spot|spots|trick|tricks|means|tool|tools|poison|poisons|weapon|knife|drug|drugs|chemical|chemicals|gun|store|stores|target|targets)\b`,
    String.raw`\b(?:way|ways|method|methods|technique|techniques|means|tips|trick|tricks|ideas|advice|suggestions|pointers|hints|plan|plans|strategy|strategies|recommendations|secret) (?:to|of|for|on|about|i can|that)\b`,
    String.raw`\b(?:steps?|instructions?|guide|tutorial|recipe|blueprint|procedure|formula|walkthrough|manual|checklist|ingredients|materials|supplies)\b`,
    String.raw`\b(?:is|are) there (?:a|an|any|some)\b|\bis it possible to\b|\bany (?:tips|ideas|advice|suggestions|pointers|hints|way|ways|recommendations)\b`,
    String.raw`\b(?:walk me through|teach me|show me|show us|show it|in full|tell me|explain|explains|help me|give me|i need|i want to know|i'd like to know|i wanna know|i wonder how|can you|could you|would you|will you|please|make me|let's|lets|i want you to|looking for|trying to (?:figure out|find out|learn|work out)|(?:want|need) to (?:know|learn|find out|figure out))\b`,
    String.raw`\bwhat (?:do|would|should|can) (?:i|we|you|one|someone) (?:need|use|buy|get|mix|put|add|take|do)\b|\bwhat (?:dose|amount|quantity|kind of|type of|sort of|household|kitchen|common|everyday|ratio|proportion|mix|mixture|combination|temperature|concentration)\b|\b(?:which|what)\b(?: \S+){0,6}? (?:would|will|could|can) (?:make|cause|get|let|knock|put)\b`,
    String.raw`\bwhere (?:can|do|could|should|would|is|are|does) (?:i|you|one|we|someone|people)\b|\bwhere on (?:the|a|his|her|their|someone's) (?:body|head|neck|chest)\b`,
    String.raw`\b(?:which|what)\b(?: \S+){0,6}? (?:can|could|should|do|would|will) (?:i|we|you|one|someone)\b`,
    String.raw`\bwhat(?:'s| is| are) (?:the |some |a )?(?:best|most|worst|easiest|good|top|quickest|fastest|simplest|cheapest)\b|\b(?:i|we) (?:can|could) (?:call|say|use|buy|get|make|do)\b`,
  ].join("|"),
);

const IMPERATIVE = new Set(`write code create build make generate draft list describe find dox design develop program give tell show
  explain teach help compose craft produce send text roleplay narrate script invent suggest provide detail brainstorm outline name
  recommend plan get buy order walk sext simulate need gimme lemme`.split(/\s+/));
const LEAD = new Set(["please", "now", "ok", "okay", "so", ",", "just", "hey", "pls", "also", "then", "and", "quickly"]);

/** First-person intent or a threat: "I will", "I'm going to", "I want to", "next time I see him". */
const INTENT =
  /\b(?:i|we|i'm|im|we're|i've|ive|i'll|we'll|i'd)\b(?: \S+){0,2}? (?:will|'ll|shall|gonna|going to|want to|wanna|plan to|planning to|planned to|intend to|am going to|are going to|swear|promise|gotta|have to|need to|would love to|about to|decided to|ready to|bringing|been planning|been thinking about|can't wait to|should|must|might|would)\b|\bi'll\b|\bnext time i see\b|\bwhen i (?:see|catch|find|get) (?:him|her|them|you)\b|\b(?:you're|you are) (?:going to|gonna) (?:die|pay|regret)\b|\bwatch your back\b/;

export function isRequestText(text: string, words: readonly string[]): boolean {
  if (FRAME.test(text)) return true;
  // An imperative: the first word (after "please", "now", "ok") is a request verb.
  for (let i = 0; i < Math.min(words.length, 3); i++) {
    if (LEAD.has(words[i])) continue;
    return IMPERATIVE.has(words[i]);
  }
  return false;
}

export function isIntentText(text: string): boolean {
  return INTENT.test(text);
}

/** Concealment: doing it unseen is itself the tell ("without getting caught", "make it look like an accident"). */
const CONCEAL =
  /\bwithout (?:getting caught|being (?:caught|seen|noticed|detected|traced|tracked)|anyone (?:knowing|noticing|finding out|seeing)|(?:him|her|them|my \w+|the \w+) (?:knowing|noticing|finding out)|leaving (?:any )?(?:marks?|evidence|traces?|bruises|fingerprints|dna)|a trace)\b|\b(?:so|that) (?:the )?(?:police|cops|nobody|no one|he|she|they|anyone) (?:won't|can't|doesn't|don't|wouldn't|never|will not|cannot) (?:suspect|find out|know|notice|trace|find|catch|remember)\b|\b(?:won't|wont|doesn't|dont|don't|do not|wouldn't|can't|will not|does not) (?:show up|be detected|be traced|be found|get detected|get traced)\b|\b(?:show up|be detected) (?:on|in) (?:an? |the )?(?:standard )?(?:autopsy|toxicology|tox screen|blood test|drug test)\b|\bwithout (?:their |his |her |the owner's )?(?:permission|consent|authori[sz]ation)\b|\bundetect\w{0,4}\b|\buntrace\w{0,4}\b|\bget away with\b|\b(?:claim|say|pretend|tell them|tell the police) (?:it was|that it was|it's) an accident\b|\bnot get caught\b|\bavoid (?:getting caught|detection|the police|the cops)\b|\blook(?:s)? like (?:an accident|a suicide|natural causes|an overdose|a heart attack|an? (?:electrical )?(?:fault|fire|malfunction)|(?:he|she|they) (?:slipped|fell|killed|did it)|self[- ]defen[cs]e)\b|\b(?:hide|dispose of|get rid of) (?:the|a) (?:body|corpse|evidence|murder weapon)\b/;

export function concealed(text: string): boolean {
  return CONCEAL.test(text);
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
  /\b(?:exact|exactly|precise|precisely|step by step|step-by-step|quantities|quantity|measurements|temperatures|ingredients|amounts|grams|ratios|detailed instructions|real instructions|realistic instructions|actual|specifics|specific steps|in detail|accurate|recipe|formula|chemicals needed|materials needed|full code|working code|the code|real code|working)\b/;
const HISTORY = /\b(?:history|historical|historically|in (?:the )?(?:1[0-9]{3}|20[0-2][0-9])s?|century|ancient|world war|wwi|wwii|ww2|during the|what happened|why did|how did|was used|were used|were killed|was killed|trials?|genocide|holocaust|empire|medieval|civil war|vietnam war|cold war)\b/;
const DEFENSE =
  /\b(?:defend|protect|protecting|prevent|prevention|block|blocking|defend against|detect|detects|detection|recogni[sz]e|spot|mitigate|remove|awareness|training|train my|simulation|secure|warning signs|signs of|signs that|so i can (?:help|spot|avoid|protect|recognize|stay safe|report|teach|warn)|how (?:does|do) (?:\S+ ){1,3}?(?:usually |actually |really )?work|for (?:my|a|our|an) (?:\S+ )?(?:essay|class|paper|report|research|thesis|course|lecture|presentation|assignment|exam)|how (?:do|does|can) (?:banks|stores|police|antivirus|companies|platforms|websites) (?:detect|prevent|stop|catch|spot)|my own|i forgot|locked out|lost my|being hacked|been hacked|got hacked|avoid (?:being|getting|falling for) (?:scammed|hacked|phished|infected|tracked)|report(?:ing)? (?:a |an |the |this |it )?(?:scam|phishing|fraud|abuse|crime|attack|incident|harass\w{0,6}|suspicious))\b/;
const MEDICAL = /\b(?:doctor|doctors|symptoms?|treat|treatment|treated|patient|patients|nurse|hospital|side effects?|medical|clinic|diagnos\w{0,6}|therapy|therapist|prescri\w{0,8}|pharmacolog\w{0,4}|health|vaccine|disease|infection|safe dose|safe to take|maximum dose|max dose)\b/;

/** Asks for the procedure itself: "how to", "how do I", steps, a recipe, instructions. */
const HOW = /\bhow (?:to|do i|can i|would i|could i|should i|do you|would you|would someone|does one|do we|would one)\b|\b(?:steps?|instructions?|recipe|tutorial|guide|procedure|exact|exactly)\b/;

export function asksHowText(text: string): boolean {
  return HOW.test(text);
}

/**
 * Fiction and its operational detail are read over the whole text (a story is set up across
 * sentences); history, defence and medicine only in the sentence itself, so a cue pasted elsewhere
 * ("for my class.") cannot excuse a request.
 */
export function globalContexts(text: string): Pick<Contexts, "fiction" | "operational"> {
  return { fiction: FICTION.test(text), operational: OPERATIONAL.test(text) };
}

export function sentenceContexts(text: string, global: Pick<Contexts, "fiction" | "operational">): Contexts {
  return { ...global, history: HISTORY.test(text), defense: DEFENSE.test(text), medical: MEDICAL.test(text) };
}

/** A cheap test before wink-nlp reads a piece: only a request, an intent or concealment can compose. */
/**
 * The verbs a gerund may come from, for when wink-nlp tags it as a noun and keeps it as its own lemma
 * ("any tips on skimming cards", "walk me through cooking crack"): "skimming" → skimm, skimme, skim.
 * A fallback for the tagger's misses on short fragments, not a stemmer: only "-ing", only these three.
 */
export function gerundStems(word: string): string[] {
  if (!word.endsWith("ing") || word.length < 6) return [];
  const stem = word.slice(0, -3);
  const out = [stem, `${stem}e`];
  if (stem.length > 2 && stem[stem.length - 1] === stem[stem.length - 2]) out.push(stem.slice(0, -1));
  return out;
}

export function mayCompose(text: string): boolean {
  return FRAME.test(text) || INTENT.test(text) || CONCEAL.test(text) || /\b(?:homemade|diy|at home|code|script|recipe)\b/.test(text) || isRequestText(text, text.split(" ", 4));
}
