// Word classes for the compositional classifier (compose.ts, speech.ts). Entries are lemmas as wink-nlp
// gives them (lower-case; plural nouns of proper-noun groups stay plural). A request is harmful when a
// request frame, an act and a target meet in one sentence, so each class lists kinds, not phrases:
// synonyms and phrasal verbs of an act, kinds of people, kinds of weapons, drugs and malware.
const set = (words: string) => new Set(words.trim().split(/\s+/));

/** Acts of violence against a person (verbs; "poison" and "knife" as verbs too). */
export const HARM_ACTS = set(`kill murder stab poison strangle choke suffocate smother drown shoot behead decapitate torture hurt
  injure maim assassinate slaughter attack rape kidnap abduct burn electrocute bludgeon execute slit bleed knife shank assault
  mutilate dismember disfigure cripple paralyze paralyse lynch castrate molest sedate chloroform roofie murk slay butcher waste
  whack snuff eliminate hang gas torch impale scald garrote garotte neuter sterilize`);
/** Acts that harm only with a qualifier ("beat him up", "beat her to death"; not "beat my brother at chess"). */
export const WEAK_HARM_ACTS = set("beat punch kick hit stomp pummel batter smash crush break drug spike shake swing slap");

/** People as targets. Relations count with a possessive (my/his/her/our) before them (see compose.ts). */
export const PERSONS = set(`someone somebody anyone anybody person people man men woman women child children kid kids baby babies human
  humans him her them you victim victims stranger strangers guy guys girl girls boy boys individual cop cops officer officers police
  president neighbor neighbour neighbors neighbours family crowd student students everyone everybody pedestrian pedestrians adult
  adults teenager teenagers toddler infant guard guards cashier clerk driver witness witnesses hostage hostages senator mayor
  politician judge nurse doctor patient worker workers employee employees classmates teachers customer customers passenger
  passengers homeless elderly grandparent parent soldier bouncer bouncers waiter waitress bartender receptionist nanny babysitter
  janitor coach referee umpire inmate prisoner tourist tourists jogger hiker cyclist cyclists biker bikers motorcyclist runner
  skater`);
export const RELATIONS = set(`wife husband boss roommate ex mom mum mother dad father teacher coworker co-worker colleague classmate
  girlfriend boyfriend friend partner brother sister son daughter uncle aunt cousin landlord manager grandma grandmother grandpa
  grandfather granddad stepdad stepmom stepfather stepmother stepson stepdaughter stepbrother stepsister fiance fiancee spouse
  parents kids child baby bully nephew niece supervisor tenant neighbour neighbor principal coach ex-wife ex-husband ex-girlfriend
  ex-boyfriend in-law in-laws`);

/** Not people: "kill a process", "kill weeds", "shoot a photo", "beat the game". */
export const NON_PERSON_TARGETS = set(`process processes thread job jobs task tasks server container pod app program script session
  connection port tab window weed weeds bacteria germ germs cell cells virus pest pests mouse mice rat rats ant ants cockroach
  cockroaches bug bugs plant plants mold fungus lice flea fleas battery time mood vibe engine light lights power signal boss dragon
  zombie zombies monster monsters orc orcs character characters enemy enemies npc npcs photo photos video picture basketball hoop
  ball message email notification hole belt game games level levels record exam test fly flies mosquito mosquitoes wasp wasps mole
  moles termite termites calories fat cd dvd time traffic deadline deadlines opening gophers slug slugs snail snails tick ticks
  moth moths roach roaches vine vines stump tree trees grass ivy shot shots subscription account noise vibe`);

/** Making or getting a thing (weapons, drugs, malware, documents). */
export const MAKE_ACTS = set(`make build create assemble construct produce manufacture prepare cook brew mix synthesize synthesise
  craft rig print weaponize extract refine grow distill combine develop write code program generate design obtain buy acquire
  get source order purchase press convert modify turn 3d-print finish complete mill implement type`);

export const WEAPONS = set(`bomb bombs explosive explosives ied ieds grenade grenades napalm molotov thermite flamethrower detonator
  ricin sarin anthrax vx tabun novichok toxin nerve bioweapon bioweapons silencer suppressor incendiary firebomb c4 tnt dynamite semtex
  landmine landmines gunpowder blackpowder tatp hmtd petn weapon weapons gun guns rifle pistol firearm ammunition chloroform cyanide
  arsenic thallium strychnine botulinum polonium mustard phosgene zip-gun pipe-bomb nailbomb tannerite shrapnel blackpowder
  poisons`);
/** Only a weapon next to one of these (a "gas" alone is cooking; a "toxic gas" is not). */
export const WEAPON_PAIRS: [string, Set<string>][] = [
  ["gas", set("toxic poison poisonous deadly lethal chlorine mustard nerve chemical tear")],
  ["agent", set("nerve chemical biological")],
  ["weapon", set("chemical biological nuclear")],
  ["poison", set("a the deadly lethal untraceable undetectable tasteless odorless strong homemade")],
  ["powder", set("black gun flash smokeless")],
];
/** Weapon words that are something else beside these ("bath bomb", "bomb-proof", "photo bomb", "fork bomb"). */
export const WEAPON_EXCUSES = set(`bath cake proof photo fork seed f squad disposal dot cherry calorie flavor flavour sound shell
  glitter mine's gold diamond data land sniffing pop`);
/** A gun is harmful to make or get when it is one of these. */
export const GUN_QUALIFIERS = set("ghost untraceable homemade 3d unregistered unserialized automatic illegal full-auto stolen zip pipe improvised diy printed undetectable");

/** Illegal drugs: making, buying, selling or smuggling them is illicit. */
export const DRUGS = set(`meth methamphetamine cocaine crack heroin fentanyl lsd mdma ecstasy molly ghb pcp dmt mescaline opium
  krokodil desomorphine carfentanil amphetamine amphetamines methcathinone mephedrone flakka roofies rohypnol psilocybin shrooms`);
/** Prescription drugs: illicit to make, press or fake, or to buy "without a prescription" (asking a doctor for them is not). */
export const PRESCRIPTION = set("xanax oxy oxycodone oxycontin percocet adderall codeine morphine ketamine valium vicodin tramadol fentanyl");

export const MALWARE = set(`malware ransomware keylogger keyloggers virus trojan worm botnet rootkit spyware stalkerware backdoor
  exploit stealer infostealer rat cryptojacker cryptominer ddos phishing wiper grabber skimmer crypter dropper`);

/** Crimes against property and trust (the act alone says it). */
export const THEFT_ACTS = set(`steal skim clone phish scam launder counterfeit forge shoplift hotwire pickpocket embezzle defraud
  blackmail extort swat rob mug burgle burglarize loot carjack hijack swindle con smuggle traffic fence poach`);
export const HACK_ACTS = set("hack crack breach bypass infiltrate spy ddos dos track monitor access read bug wiretap intercept");
export const ACCOUNTS = set(`account accounts instagram facebook email gmail phone computer laptop network wifi wi-fi password
  passwords webcam camera snapchat tiktok twitter whatsapp icloud router house home apartment flat car garage office shop store safe
  website site server servers messages texts location dms inbox tablet ipad iphone discord telegram signal`);
export const CARDS = set("card cards credit debit identity identities ssn passport id bank");

export const SEXUAL_CUES = set(`explicit erotic erotica sexual sexually sex nsfw smut porn porno pornographic lewd xxx orgasm orgy
  naked nude nudes horny kinky fetish hentai sexy sext sexting hardcore x-rated blowjob handjob`);
export const MINOR_CUES = set(`child children kid kids minor minors underage preteen toddler schoolgirl schoolboy loli shota teen
  teenager teenage juvenile infant baby stepdaughter niece`);

export const GROUPS = set(`immigrants immigrant migrants refugees muslims muslim jews jew jewish christians christian catholics hindus
  sikhs buddhists atheists blacks whites asians arabs africans mexicans latinos hispanics indians pakistanis chinese japanese koreans
  gays gay lesbians lesbian trans transgender queers homosexuals women men gypsies roma romani jamaicans nigerians somalis
  syrians ukrainians russians palestinians israelis irish poles italians foreigners aborigines natives disabled autistic feminists
  black white asian latino hispanic arab african indian mexican illegals muzzies muzzie retards cripples gypsy kikes niggers
  faggots trannies wetbacks towelheads`);
export const DEHUMANIZING = set(`vermin parasite parasites subhuman subhumans animals animal rats cockroaches roaches insects plague
  disease cancer filth savages savage apes monkeys pigs dogs scum trash inferior degenerates degenerate invaders leeches`);
/** Generalizations that demean a group ("…are all criminals", "…are too stupid to…"). */
export const STEREOTYPES = set(`criminals criminal terrorists terrorist rapists thieves pedophiles paedophiles perverts stupid lazy
  dirty filthy disgusting inferior evil violent dumb greedy smelly ugly worthless useless primitive backward dangerous diseased
  retarded subhuman animals savages dumber stupider lazier dirtier uglier inferior cancer parasites vermin terrorists freaks freak
  ill sick crazy insane delusional abominations abomination groomers predators unnatural eaters`);
export const ELIMINATE = set("exterminate eliminate eradicate purge wipe gas lynch cleanse deport kill massacre genocide annihilate");

export const INSULTS = set(`worthless pathetic garbage trash loser idiot moron stupid ugly disgusting useless retard retarded
  imbecile scum failure fat dumb freak waste bitch slut whore cunt`);
