// One Aho–Corasick pass over the deobfuscated text finds every cue word (a lexicon entry, an irregular
// form, a frame-free phrase) and tags it with the detectors it can matter to. The text is then cut
// into pieces (sentences; long ones into overlapping windows) and each piece carries the OR of its
// cues, so every detector reads only the pieces that can concern it: wink-nlp only the ones with an
// act or a harmful object, the self-harm rules only the ones with a self-harm cue, and so on. Most
// benign text costs this one pass and nothing else. Linear: one automaton pass, one split.
import { buildAutomaton, scanText, type Automaton } from "./automaton";
import * as L from "./lexicon";
import { symbolsOfPhrase } from "./normalize";

export const CUE = {
  /** An act against a person, property or trust (wink-nlp reads the sentence). */
  ACT: 1,
  /** A weapon, drug or malware that is harmful to make or get (wink-nlp reads the sentence). */
  OBJECT: 2,
  SELF: 4,
  HATE: 8,
  SEXUAL: 16,
  ABUSE: 32,
  THREAT: 64,
  HARASS: 128,
  /** A jailbreak cue: the jailbreak patterns run over the whole text. */
  JAILBREAK: 256,
  /** Words of other languages' harmful requests (jailbreak.ts). */
  FOREIGN: 512,
  /** A word only jailbreaks use (a persona without rules, a claimed mode, another language's override). */
  JB_STRONG: 2048,
  /** An everyday word that is an act only in company ("read her texts", "hit him", "sell weed"): two of them, or one beside another cue. */
  WEAK: 1024,
} as const;

const NLP_CUES = CUE.ACT | CUE.OBJECT;

/** Act words too common to send a sentence to wink-nlp alone ("read the docs", "git clone", "traffic jam"). */
const WEAK_ACTS = new Set(`access read track monitor follow into lock bug intercept crack clone con fence traffic poach hit break crush
  kick punch smash drug spike beat execute hang burn waste eliminate gas silence push knock bump off rid hire sell deal deposit card
  tax insurance identity location messages texts login password scheme name body fake cash pay suffer dispose wipe look`.split(/\s+/));

// Multi-word cues are joined with "_"; entries match as word prefixes ("stab" → "stabbing").
const EXTRA: [number, string][] = [
  [CUE.ACT, `stole shot slit disappear run_over set_fire on_fire burn_down brake tamper roofie fraud fullz dumps cvv carder
    carding ponzi pyramid_scheme structur launder laundering counterfeit forged passport across_the_border kidney organ irs hmrc
    smuggl traffick sim_swap spyware undetect untrace get_away cover_up pretending impersonat posing spoof credential brute hitman
    cash_out cashout gift_card dark_web darkweb black_market exterminat stalk get_into break_into take_out make_her make_him
    make_them to_death beat_up beat_the ransom blow_up school_shooting mass_shooting sql_injection payload wordlist collecting dead_grandfather dead_grandmother
    dead_mother dead_father generator immobili car_alarm keyless key_fob security_tag records without_permission without_consent
    overdose put_him put_her in_the_hospital fertili ammonium anfo mule break_into social_security someone_s_ssn
    unsupervised dump_a dump_the a_body the_body corpse pick_pockets key_his key_her slash vandali start_a_fire airport_security past_security cheat dependents bleach throw_up
    without_getting without_anyone without_her without_him without_them without_leaving without_being look_like`],
  [CUE.WEAK, `rid bump off_ knock push deposit sell sold deal tax insurance identity location name card scheme body messages texts
    weed drugs pills fake forged invoice receipt license licence id_ diploma documents papers visa login password credential drink
    drinks coffee number account accounts phone laptop wifi instagram facebook snapchat whatsapp email victim encrypt bitcoin someone
    somebody person him her them kid child baby man woman guy girl boy bed unconscious swing people customers users victims
    looks_like appears_to slip slipping sneak tea food meal lunch dinner soup convincing log_in sign_in details staff employees
    notes bills currency money printer degree certificate transcript seal uni pocket pockets tires tyres window windows
    lawn property revenge bin pillow high stoned wasted meds combine cyclist tie tying kit template black_out blackout cat dog
    puppy kitten pet`],
  [CUE.OBJECT, `full_auto fully_automatic auto_sear glock_switch toxic_gas chlorine_gas mustard_gas nerve_gas nerve_agent tear_gas
    poison_gas chemical_weapon pill_press antifreeze`],
  [CUE.SELF, `myself my_life my_own_life suicid kms unalive sewerslide die dying dead death alive pills pill meds medication tablets
    overdos noose rope wrist vein jump bridge roof ledge burden miss_me wake_up better_off goodbye last_message last_night
    last_day note letters gave_away give_away end_it end_everything end_all made_up_my_mind the_night plan tonight took
    tylenol paracetamol razor blade gone cares thinking_about driving_off drive_off end_it i_end max_dose what_dose disappear exist sleep_forever worth_living cant_go_on cant_do_this cant_take no_reason
    reason_to anymore painless way_to_go asking_for_me do_it pick_the the_day loaded last_message goodbye farewell burden cut cuts
    cutting deeper artery carbon_monoxide crash_my_car into_the_sea into_the_ocean into_traffic saving_up scars instantly tracks
    take_my_life want_to_live be_here go_on keep_going sleep_for_good go_to_sleep stockpil hoard od_ bleed stop_my_heart fatal
    lethal deadly enough_to stop_existing stopped_existing looked_up whole_bottle rope_is noose_is pills_are my_decision decided my_last be_over which_bridge nobody_notices no_one_notices
    matar mourir
    sterben umbringen morire morrer tuer suicidarme`],
  [CUE.HATE, `deserve go_back slur racist propaganda manifesto control_the joke jokes banned ban deport should_be must_be stopped too holocaust
    genocide offensive insults slogan lynch hunted dumber stupider lazier asian aboriginal african arab mexican black_people immigrant refugee
    indian pakistani`],
  [CUE.SEXUAL, "pictures pics photos selfies have_sex having_sex hooking dirty oral young_girl little_girl young_boy little_boy year_old yo flirt body hidden_camera upskirt lemon milf groom in_bed undress"],
  [CUE.ABUSE, "kill_yourself kill_herself kill_himself kill_themselves kys hang_yourself hang_herself everyone_hates nobody_likes no_one_likes piece_of"],
  [CUE.THREAT, `know_where regret watch_your_back coming_for dead_meat youre_dead you_are_dead make_you_pay make_him_pay
    make_her_pay they_will_all_pay all_pay eye_open see_it_coming find_you hurt_your burn_your school rifle gun weapon shoot`],
  [CUE.HARASS, `dox address phone_number real_name lives live_now personal_info private_info workplace humiliat bully harass insult
    mock degrade torment intimidat troll cyberbull embarrass shame ridicule make_fun rumor rumour nudes revenge fake_account mean_things
    roast insults comebacks get_him_fired get_her_fired ruin expos burner fake_profile fake_dating dig_up everything_you_can feel_so
    worthless warning_to threat comments miserable kick_her_out kick_him_out get_her get_him follow_a follow_her follow_him following_her scare know_her know_his life_hell flood spam text_bomb pay see_it_coming instagram
    socials social_media profile`],
  // Words of the override and pretend patterns, common in everyday text: only those patterns run on them.
  [CUE.JAILBREAK, `ignore ignoring disregard forget override bypass pretend filters filter_ restrictions restricted instructions
    guidelines policies policy rules translat traduc traduis ubersetz imagine safety_module safety_filter safety_feature safety_protocol
    safety_training safety_system safety_layer safety_setting guardrails alignment`],
  // Words that only jailbreaks use: every pattern runs.
  [CUE.JB_STRONG, `dan_ stan_ jailbr uncensor unfilter unrestrict unhinged amoral unethical anything_now stay_in_character grandm granny
    grandp grandad mode_ modes_ sudo_ developer_mode dev_mode god_mode freed_from free_of free_from liberated unshackled broken_free
    bound_by never_refuse never_refuses not_refuse cannot_refuse cant_refuse lose_ zero_restrictions care_about_any care_about_the_rules care_about_rules can_do_anything used_to_tell used_to_read used_to_sing used_to_recite used_to_explain alter_ego evil_twin hypothetic if_you_had if_you_didn
    if_you_were if_you_weren no_restrictions no_rules no_filters no_limits no_guidelines no_content no_ethic no_moral ethical_limits
    moral_limits without_restrictions without_any without_rules without_filters without_limits without_guidelines without_censorship
    authoriz your_creator your_developer i_am_your im_your override_code admin_code answer_twice respond_twice reply_twice all_information simulat
    verletzen umbringen lastimar herir blesser golpear whatsapp has_no have_no opposite_mode opposite_of chaos_mode anleitung herstellt never_say_no never_warn never_refuse for_the_rest_of pirater hackear hacken piratear ignora ignorez ignoriere olvida oublie vergiss dimentica anweisung regeln reglas regles instrucciones restricciones
    einschrankungen filtros filtres zensur censura censure actua agis du_bist eres sin_ sans_ ohne_ senza_ modo_ entwicklermodus`],
  [CUE.FOREIGN, `fabricar hacer construir fabriquer faire bauen herstellen costruire preparar cocinar cuisiner kochen matar tuer
    toten vergiften envenenar empoisonner avvelenare uccidere bomba bombe explosiv sprengstoff metanfetamina methamphetamine crystal
    droga drogue`],
];

/**
 * Entries match as word prefixes ("stab" → "stabbing"), except short ones (four letters or fewer),
 * which would start too many other words ("rob" → "robot", "men" → "mention", "hit" → "history"):
 * those match as whole words in their regular inflections.
 */
function forms(w: string): string[] {
  // "choke" → "chok…" (choking, choked), "strangle" → "strangl…".
  if (!w.includes(" ") && w.length > 4) return w.endsWith("e") ? [w.slice(0, -1)] : [w];
  if (w.endsWith(" ") || w.includes(" ")) return [w];
  const last = w[w.length - 1];
  const stem = w.endsWith("e") ? w.slice(0, -1) : w;
  const ys = w.endsWith("y") ? [`${w.slice(0, -1)}ies`, `${w.slice(0, -1)}ied`] : [];
  return [w, `${w}s`, `${w}es`, `${w}ed`, `${w}d`, `${stem}ing`, `${w}${last}ed`, `${w}${last}ing`, `${w}er`, `${w}ers`, `${w}${last}er`, `${w}${last}ers`, `${w}en`, `${w}t`, `${w}x`, ...ys].map((f) => `${f} `);
}

let table: { automaton: Automaton; masks: number[] } | null = null;

function cueTable() {
  if (table) return table;
  const masks = new Map<string, number>();
  const add = (word: string, mask: number) => {
    const w = word.replace(/_/g, " ").replace(/[^a-z0-9 ]/g, "");
    if (w.replace(/ /g, "").length < 2) return;
    for (const f of forms(w)) masks.set(f, (masks.get(f) ?? 0) | mask);
  };
  const lists: [number, Iterable<string>[]][] = [
    [CUE.ACT, [L.HARM_ACTS, L.WEAK_HARM_ACTS, L.THEFT_ACTS, L.HACK_ACTS]],
    [CUE.OBJECT, [L.WEAPONS, L.DRUGS, L.PRESCRIPTION, L.MALWARE]],
    [CUE.HATE, [L.GROUPS, L.DEHUMANIZING, L.STEREOTYPES, L.ELIMINATE]],
    [CUE.SEXUAL, [L.SEXUAL_CUES, L.MINOR_CUES]],
    [CUE.ABUSE, [L.INSULTS]],
  ];
  for (const [mask, sets] of lists) for (const s of sets) for (const w of s) add(w, mask === CUE.ACT && WEAK_ACTS.has(w) ? CUE.WEAK : mask);
  for (const [mask, words] of EXTRA) for (const w of words.trim().split(/\s+/)) add(w, mask);
  // People one might harm: an everyday word, an act only in company ("beat my brother").
  for (const w of L.RELATIONS) add(w, CUE.WEAK);
  for (const w of L.PERSONS) if (!/^(?:you|everyone|everybody|people|family|human|humans|individual)$/.test(w)) add(w, CUE.WEAK);
  const entries = [...masks];
  return (table = { automaton: buildAutomaton(entries.map(([w]) => symbolsOfPhrase(` ${w.trimStart()}`))), masks: entries.map(([, m]) => m) });
}

/** The cue classes of one word (every entry that is a prefix of it). For tests and the stretch rule. */
export function cuesOf(word: string): number {
  return cueMask(` ${word} `);
}

function cueMask(text: string): number {
  const t = cueTable();
  let mask = 0;
  for (const h of scanText(t.automaton, text)) mask |= t.masks[h.pattern];
  return mask;
}

export interface Piece {
  text: string;
  mask: number;
  /** How many weak act words the piece has. */
  weak: number;
  /** Offsets in the piece where an act, object or weak act word ends (for nlpText). */
  acts: number[];
}

const PIECE = 400;
const OVERLAP = 120;

/** Sentences (long ones cut into overlapping windows) with their start offsets. */
function split(text: string): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  let at = 0;
  for (const s of text.split(/(?<=[.!?;])\s+|\n\s*\n/)) {
    at = text.indexOf(s, at);
    if (s.length <= PIECE) out.push({ at, text: s });
    else for (let i = 0; i < s.length; i += PIECE - OVERLAP) out.push({ at: at + i, text: s.slice(i, i + PIECE) });
    at += s.length;
  }
  return out;
}

export interface CuedText {
  /** Pieces with at least one cue, repeats dropped, in text order. */
  pieces: Piece[];
  /** OR of every piece's cues. */
  mask: number;
}

/** The pieces of a (deobfuscated) text that carry a cue, each with its cue classes. */
export function cuePieces(text: string): CuedText {
  const t = cueTable();
  const hits = scanText(t.automaton, text);
  if (!hits.length) return { pieces: [], mask: 0 };
  const pieces: Piece[] = [];
  const seen = new Set<string>();
  let all = 0;
  let k = 0;
  for (const { at, text: p } of split(text)) {
    while (k < hits.length && hits[k].end < at) k++;
    let mask = 0;
    let weak = 0;
    const acts: number[] = [];
    // Hits end inside this piece (both lists are in text order); overlapping windows rescan a few.
    for (let j = k; j < hits.length && hits[j].end <= at + p.length; j++) {
      const m = t.masks[hits[j].pattern];
      mask |= m;
      if (m & CUE.WEAK) weak++;
      if (m & (NLP_CUES | CUE.WEAK)) acts.push(hits[j].end - at);
    }
    if (!mask || seen.has(p)) continue;
    seen.add(p);
    pieces.push({ text: p, mask, weak, acts });
    all |= mask;
  }
  return { pieces, mask: all };
}

/** wink-nlp reads a piece with an act or a harmful object, or with weak act words in company. */
export const needsNlp = (p: Piece) => (p.mask & NLP_CUES) !== 0 || p.weak >= 2 || (p.weak === 1 && (p.mask & (CUE.HARASS | CUE.THREAT)) !== 0);

const AROUND = 110;

/**
 * What wink-nlp reads of a piece: all of a short one; of a long one (a run-on paragraph, a pasted
 * log), the stretches around its act words, where a frame, an act and its target sit together.
 */
export function nlpText(p: Piece): string {
  return skipTokens(stretches(p));
}

/** Numbers, emails and keys of seven characters or more cost wink-nlp tokens and mean nothing to compose.ts ("3d", "c4", "ar-15" stay). */
function skipTokens(text: string): string {
  return /\d|@/.test(text) ? text.replace(/\S*[\d@]\S*/g, (t) => (t.length >= 7 ? "#" : t)) : text;
}

function stretches(p: Piece): string {
  if (p.text.length <= 2 * AROUND + 20) return p.text;
  const parts: string[] = [];
  let until = -1;
  for (const a of p.acts) {
    if (a <= until) continue;
    let s = Math.max(until + 1, a - AROUND);
    let e = Math.min(p.text.length, a + AROUND);
    while (s > 0 && p.text[s - 1] !== " ") s--; // whole words only
    while (e < p.text.length && p.text[e] !== " ") e++;
    parts.push(p.text.slice(s, e));
    until = e;
  }
  return parts.join(" … ");
}

/** A piece as the plain-text rules read it: lower-case words and apostrophes, single spaces. */
export function plain(text: string): string {
  // deobfuscate.ts output is almost always ASCII: the Unicode-aware class only when it is not (5× slower).
  const ascii = !/[^\x00-\x7f]/.test(text);
  return text.replace(ascii ? /[^a-z0-9' ]+/g : /[^\p{L}\p{N}' ]+/gu, " ").replace(/ {2,}/g, " ").trim();
}
