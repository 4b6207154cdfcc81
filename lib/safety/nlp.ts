// Tokens, lemmas, part of speech, negation scope and sentences from wink-nlp's English model (pure JS,
// offline). Loaded once per process, on first use. Only the sentences cues.ts marks as carrying an
// act or a harmful object are read (classify.ts), in one document: the columns are taken once for the
// whole document and cut at sentence spans (per-sentence out() calls cost as much as the parse).
import winkNLP, { type ItsFunction, type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

export interface Sentence {
  /** Lower-case surface words. */
  words: string[];
  lemmas: string[];
  pos: string[];
  /** Inside the scope of a negation ("don't want to hurt you"). */
  negated: boolean[];
  /**
   * The words joined by single spaces, with contractions and possessives joined back ("don't",
   * "someone's"), the shape frames.ts reads.
   */
  text: string;
}

let nlp: WinkMethods | null = null;

function load(): WinkMethods {
  // sbd: sentences; negation: scope flags; pos: tags and POS-aware lemmas. No NER or sentiment (cost).
  return (nlp ??= winkNLP(model, ["sbd", "negation", "pos"]));
}

/** Tokens that attach to the word before them in the plain text ("do" + "n't", "someone" + "'s"). */
const CLITIC = /^(?:'[a-z]{1,2}|n't|')$/;

/** `text` is lower-case already (deobfuscate.ts lower-cases everything). */
export function analyze(text: string): Sentence[] {
  if (!text) return [];
  const n = load();
  const its = n.its;
  const doc = n.readDoc(text);
  const tokens = doc.tokens();
  // wink's typings declare some its.* helpers with a signature out() does not accept; the calls are as documented.
  const col = <T>(f: unknown) => tokens.out(f as ItsFunction<string>) as unknown as T[];
  const words = col<string>(its.value);
  const lemmas = col<string>(its.lemma);
  const pos = col<string>(its.pos);
  const negated = col<boolean>(its.negationFlag);
  const spans = doc.sentences().out(its.span as unknown as ItsFunction<string>) as unknown as [number, number][];
  const out: Sentence[] = [];
  for (const [a, b] of spans) {
    const w = words.slice(a, b + 1);
    let joined = "";
    for (let i = a; i <= b; i++) {
      const t = words[i];
      if (pos[i] === "PUNCT" && t !== "'") continue;
      joined += joined && !CLITIC.test(t) ? ` ${t}` : t;
    }
    out.push({ words: w, lemmas: lemmas.slice(a, b + 1), pos: pos.slice(a, b + 1), negated: negated.slice(a, b + 1), text: joined });
  }
  return out;
}
