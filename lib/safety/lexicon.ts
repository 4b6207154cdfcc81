// Word classes for the compositional classifier (compose.ts). Entries are lemmas as wink-nlp gives
// them (lower-case; plural nouns of proper-noun groups stay plural). A request is harmful when a
// request frame, an act and a target meet in one sentence, so each class lists kinds, not phrases.
const set = (words: string) => new Set(words.trim().split(/\s+/));

/** Acts of violence against a person (verbs, and "poison" as a noun). */
export const HARM_ACTS = set(`kill murder stab poison strangle choke suffocate smother drown shoot behead decapitate torture hurt injure
  maim assassinate slaughter attack beat rape kidnap abduct burn electrocute bludgeon execute slit bleed knife shank`);

/** People as targets. "boss" and similar count with a possessive (my/his/her/our) before them (see compose.ts). */
export const PERSONS = set(`someone somebody anyone anybody person people man men woman women child children kid kids baby babies human
  humans him her them you victim victims stranger strangers guy girl boy individual cop cops officer police president neighbor neighbour
  neighbors neighbours family crowd student students everyone everybody pedestrian`);
export const RELATIONS = set(`wife husband boss roommate ex mom mum mother dad father teacher coworker co-worker colleague classmate
  girlfriend boyfriend friend partner brother sister son daughter uncle aunt cousin landlord manager grandma grandmother grandpa
  stepdad stepmom fiance fiancee spouse parents kids child baby bully`);

/** Not people: "kill a process", "kill weeds", "shoot a photo". */
export const NON_PERSON_TARGETS = set(`process processes thread job jobs task tasks server container pod app program script session
  connection port tab window weed weeds bacteria germ germs cell cells virus pest pests mouse mice rat rats ant ants cockroach
  cockroaches bug bugs plant plants mold fungus lice flea fleas battery time mood vibe engine light lights power signal boss dragon
  zombie zombies monster monsters orc orcs character characters enemy enemies npc photo photos video picture basketball hoop ball
  message email notification hole belt`);

/** Making or getting a thing (weapons, drugs, malware). */
export const MAKE_ACTS = set(`make build create assemble construct produce manufacture prepare cook brew mix synthesize synthesise
  craft rig print weaponize extract refine grow distill combine develop write code program generate design obtain buy acquire
  get source order`);

export const WEAPONS = set(`bomb bombs explosive explosives ied ieds grenade grenades napalm molotov thermite flamethrower detonator
  ricin sarin anthrax vx tabun novichok toxin nerve bioweapon bioweapons silencer suppressor incendiary firebomb c4 tnt dynamite semtex
  landmine mine gunpowder blackpowder tatp hmtd petn weapon weapons gun guns rifle pistol firearm ammunition`);
/** Only a weapon next to one of these (a "gas" alone is cooking; a "toxic gas" is not). */
export const WEAPON_PAIRS: [string, Set<string>][] = [
  ["gas", set("toxic poison poisonous deadly lethal chlorine mustard nerve chemical")],
  ["agent", set("nerve chemical biological")],
  ["weapon", set("chemical biological nuclear")],
];
/** Weapon words that are something else beside these ("bath bomb", "bomb-proof", "photo bomb", "fork bomb"). */
export const WEAPON_EXCUSES = set(`bath cake proof photo fork seed f squad disposal dot cherry calorie flavor flavour sound shell
  glitter mine's gold diamond data land`);
/** A gun is harmful to make or get when it is one of these. */
export const GUN_QUALIFIERS = set("ghost untraceable homemade 3d unregistered unserialized automatic illegal");

export const DRUGS = set(`meth methamphetamine crystal cocaine coke crack heroin fentanyl lsd mdma ecstasy molly ghb pcp dmt
  mescaline opium krokodil desomorphine carfentanil amphetamine speed ketamine`);

export const MALWARE = set(`malware ransomware keylogger keyloggers virus trojan worm botnet rootkit spyware stalkerware backdoor
  exploit stealer infostealer rat cryptojacker cryptominer ddos phishing wiper`);

/** Crimes against property and trust (the act alone says it). */
export const THEFT_ACTS = set(`steal skim clone phish scam launder counterfeit forge shoplift hotwire pickpocket embezzle defraud
  blackmail extort swat`);
export const HACK_ACTS = set("hack crack breach bypass infiltrate spy ddos dos");
export const ACCOUNTS = set(`account accounts instagram facebook email gmail phone computer laptop network wifi wi-fi password
  passwords webcam camera snapchat tiktok twitter whatsapp icloud router house home apartment flat car garage office shop store safe website site server servers`);
export const CARDS = set("card cards credit debit identity identities ssn passport id bank");

export const SEXUAL_CUES = set(`explicit erotic erotica sexual sex nsfw smut porn porno pornographic lewd xxx orgasm orgy naked nude
  horny kinky fetish hentai`);
export const MINOR_CUES = set(`child children kid kids minor minors underage preteen toddler schoolgirl schoolboy loli shota teen
  teenager teenage juvenile infant baby`);

export const GROUPS = set(`immigrants immigrant migrants refugees muslims muslim jews jew jewish christians christian catholics hindus
  sikhs buddhists atheists blacks whites asians arabs africans mexicans latinos hispanics indians pakistanis chinese japanese koreans
  gays gay lesbians lesbian trans transgender queers homosexuals women men blacks gypsies roma romani jamaicans nigerians somalis
  syrians ukrainians russians palestinians israelis irish poles italians foreigners aborigines natives disabled autistic feminists`);
export const DEHUMANIZING = set(`vermin parasite parasites subhuman subhumans animals animal rats cockroaches roaches insects plague
  disease cancer filth savages savage apes monkeys pigs dogs scum trash inferior degenerates degenerate invaders leeches`);
export const ELIMINATE = set("exterminate eliminate eradicate purge wipe gas lynch cleanse deport kill massacre genocide annihilate");

export const INSULTS = set(`worthless pathetic garbage trash loser idiot moron stupid ugly disgusting useless retard retarded
  imbecile scum failure fat dumb freak waste bitch slut whore cunt`);

/** First-person harm to oneself: the act lemmas that, with "myself" or "my life", mean self-harm. */
export const SELF_HARM_ACTS = set("kill hurt harm cut hang shoot drown poison starve burn end take overdose unalive stab suffocate");
