// Tokens, lemmas, part of speech, negation scope and sentences from wink-nlp's English model (pure JS,
// offline, ~0.2 µs per character). Loaded once per process, on first use.
import winkNLP, { type ItemSentence, type ItsFunction, type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

export interface Sentence {
  /** Lower-case surface words. */
  words: string[];
  lemmas: string[];
  pos: string[];
  /** Inside the scope of a negation ("don't want to hurt you"). */
  negated: boolean[];
  /** The words joined by single spaces, for the bounded phrase regexes. */
  text: string;
}

let nlp: WinkMethods | null = null;

function load(): WinkMethods {
  // sbd: sentences; negation: scope flags; pos: tags and POS-aware lemmas. No NER or sentiment (cost).
  return (nlp ??= winkNLP(model, ["sbd", "negation", "pos"]));
}

export function analyze(text: string): Sentence[] {
  const n = load();
  const its = n.its;
  const out: Sentence[] = [];
  n.readDoc(text)
    .sentences()
    .each((s: ItemSentence) => {
      const t = s.tokens();
      // wink's typings declare some its.* helpers with a signature out() does not accept; the calls are as documented.
      const col = (f: unknown) => t.out(f as ItsFunction<string>) as string[];
      const words = col(its.value).map((w) => w.toLowerCase());
      out.push({
        words,
        lemmas: col(its.lemma).map((w) => w.toLowerCase()),
        pos: col(its.pos),
        negated: col(its.negationFlag) as unknown as boolean[],
        text: words.join(" "),
      });
    });
  return out;
}
