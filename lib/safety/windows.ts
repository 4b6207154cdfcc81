// Bounds the text the NLP layer reads per check, without opening a bypass by padding. The
// (deobfuscated) text is cut into sentences (long ones into overlapping pieces), repeats are dropped,
// and only sentences that mention a harmful act, target or jailbreak word go to wink-nlp (most
// benign text costs no NLP at all): request-like ones first, then the rest, taken from the
// head and the tail alternately, up to NLP_BUDGET_CHARS. A harmful request after 100 KB of filler is
// one kept sentence. If request-like sentences alone overflow the budget, `overflow` says so and the
// caller refuses the input rather than pass what it could not read. Linear: one split, one regex per
// piece, one join.
export const NLP_BUDGET_CHARS = 12_000;
const PIECE = 400;
const OVERLAP = 120;

const TRIGGER =
  /\b(?:kill|murder|stab|poison|strangl|chok|suffocat|smother|drown|shoot|behead|tortur|hurt|harm|injur|maim|assassin|slaughter|attack|beat|rape|kidnap|abduct|burn|bomb|explos|napalm|molotov|thermite|flamethrow|detonat|ricin|sarin|anthrax|nerve|toxin|toxic|gas|weapon|gun|rifle|pistol|silencer|incendiar|meth|cocain|crack|heroin|fentanyl|lsd|mdma|ecstasy|ghb|pcp|dmt|opium|drug|steal|stole|skim|clone|phish|hack|breach|forg|counterfeit|fake|launder|shoplift|hotwir|scam|fraud|malware|ransom|keylog|virus|trojan|worm|botnet|rootkit|spyware|backdoor|exploit|slur|vermin|parasit|subhuman|exterminat|dox|address|insult|humiliat|bully|harass|threat|sex|erotic|explicit|nsfw|smut|porn|nude|naked|suicid|myself|my life|die|dead|alive|overdos|pills|ignore|disregard|forget|override|bypass|pretend|mode|filter|restrict|dan|instruc|grand|translat|traduc|ignora)/;
const REQUESTY = /\b(?:how|way|steps?|instructions?|recipe|tell me|show me|give me|help me|write|make|create|can you|could you|please|where can|which|what|i will|i'll|i'm going|i want|you are|you're|ignore|disregard|pretend|act as)\b/;

export interface NlpWindow {
  text: string;
  /** Request-like sentences that did not fit the budget (0 = everything relevant was read). */
  overflow: number;
}

function pieces(text: string): string[] {
  const out: string[] = [];
  for (const s of text.split(/(?<=[.!?;])\s+/)) {
    if (s.length <= PIECE) out.push(s);
    else for (let i = 0; i < s.length; i += PIECE - OVERLAP) out.push(s.slice(i, i + PIECE));
  }
  return out;
}

export function nlpWindow(text: string): NlpWindow {
  const seen = new Set<string>();
  const requesty: string[] = [];
  const other: string[] = [];
  for (const p of pieces(text)) {
    if (seen.has(p) || !TRIGGER.test(p)) continue;
    seen.add(p);
    (REQUESTY.test(p) ? requesty : other).push(p);
  }
  const kept: string[] = [];
  let used = 0;
  let overflow = 0;
  const take = (list: string[], counts: boolean) => {
    // Head and tail alternately: the first, the last, the second, the second to last, …
    for (let lo = 0, hi = list.length - 1, k = 0; lo <= hi; k++) {
      const p = k % 2 === 0 ? list[lo++] : list[hi--];
      if (used + p.length + 1 > NLP_BUDGET_CHARS) {
        if (counts) overflow++;
        continue;
      }
      kept.push(p);
      used += p.length + 1;
    }
  };
  take(requesty, true);
  take(other, false);
  return { text: kept.join("\n"), overflow };
}
