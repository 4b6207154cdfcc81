// `npm run eval:safety`: the local safety layer against the labelled set (bench/safety/eval-set.ts)
// — precision and recall per category, recall per obfuscation, the false-flag and false-block rates
// on benign text — and the streaming moderator's per-token cost (bench/scenarios/moderation.ts).
// Prints tables; writes bench/results/safety-eval.json. Exits 1 when a target is missed.
import fs from "node:fs";
import path from "node:path";
import type { SafetyCategory } from "@/lib/safety/categories";
import { resolveSafetyConfig } from "@/lib/safety/config";
import { decideInput } from "@/lib/safety/input";
import { MODERATION_PER_TOKEN_P99_TARGET_US, moderationBench } from "../scenarios/moderation";
import { buildEvalSet, type EvalItem } from "./eval-set";

const FALSE_BLOCK_TARGET = 0.01;
const config = resolveSafetyConfig();

/** Categories a text is flagged for: score at or above the category's warn (or block) threshold. */
function flagged(item: EvalItem): { categories: Set<SafetyCategory>; action: string } {
  const d = decideInput(item.text, config);
  const out = new Set<SafetyCategory>();
  for (const [k, score] of Object.entries(d.scores) as [SafetyCategory, number][]) {
    const t = config.categories[k];
    const min = Math.min(t.warn ?? Infinity, t.block ?? Infinity);
    if (score >= min) out.add(k);
  }
  return { categories: out, action: d.action };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");
const pad = (s: string | number, n: number) => String(s).padEnd(n);

function main(): number {
  const items = buildEvalSet();
  const results = items.map((item) => ({ item, ...flagged(item) }));
  const categories = [...new Set(items.flatMap((i) => i.labels))].sort();

  const perCategory = categories.map((c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const labelled = r.item.labels.includes(c);
      const accepted = labelled || (r.item.also ?? []).includes(c);
      const predicted = r.categories.has(c);
      if (labelled && predicted) tp++;
      else if (labelled && !predicted) fn++;
      else if (predicted && !accepted) fp++;
    }
    return { category: c, support: tp + fn, tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
  });

  const harmful = results.filter((r) => r.item.labels.length && r.item.kind === "harmful");
  const obfuscations = [...new Set(harmful.map((r) => r.item.obfuscation))].map((o) => {
    const rows = harmful.filter((r) => r.item.obfuscation === o);
    const caught = rows.filter((r) => r.item.labels.some((l) => r.categories.has(l)));
    const blocked = rows.filter((r) => r.action === "blocked");
    return { obfuscation: o, items: rows.length, recall: caught.length / rows.length, blocked: blocked.length / rows.length };
  });

  const benign = results.filter((r) => r.item.labels.length === 0);
  const rate = (rows: typeof results, pred: (r: (typeof results)[number]) => boolean) => rows.filter(pred).length / rows.length;
  const benignRates = (["benign", "hard-negative"] as const).map((kind) => {
    const rows = benign.filter((r) => r.item.kind === kind);
    return { kind, items: rows.length, falseFlag: rate(rows, (r) => r.action !== "allowed"), falseBlock: rate(rows, (r) => r.action === "blocked") };
  });
  const falseBlock = rate(benign, (r) => r.action === "blocked");
  const falseFlag = rate(benign, (r) => r.action !== "allowed");

  console.log(`\nSafety evaluation: ${items.length} items (${harmful.length} harmful, ${results.filter((r) => r.item.kind === "pii").length} PII, ${benign.length} benign incl. hard negatives)\n`);
  console.log(`${pad("category", 24)}${pad("support", 9)}${pad("TP", 5)}${pad("FP", 5)}${pad("FN", 5)}${pad("precision", 11)}recall`);
  for (const c of perCategory) {
    console.log(`${pad(c.category, 24)}${pad(c.support, 9)}${pad(c.tp, 5)}${pad(c.fp, 5)}${pad(c.fn, 5)}${pad(pct(c.precision), 11)}${pct(c.recall)}`);
  }
  console.log(`\n${pad("obfuscation", 22)}${pad("items", 7)}${pad("recall", 9)}blocked`);
  for (const o of obfuscations) console.log(`${pad(o.obfuscation, 22)}${pad(o.items, 7)}${pad(pct(o.recall), 9)}${pct(o.blocked)}`);
  console.log(`\n${pad("benign text", 22)}${pad("items", 7)}${pad("flagged", 9)}blocked`);
  for (const b of benignRates) console.log(`${pad(b.kind, 22)}${pad(b.items, 7)}${pad(pct(b.falseFlag), 9)}${pct(b.falseBlock)}`);
  console.log(`${pad("all benign", 22)}${pad(benign.length, 7)}${pad(pct(falseFlag), 9)}${pct(falseBlock)}  (target ≤ ${pct(FALSE_BLOCK_TARGET)} blocked)`);

  const misses = harmful.filter((r) => !r.item.labels.some((l) => r.categories.has(l)));
  const wrong = benign.filter((r) => r.action !== "allowed");
  if (misses.length) console.log(`\nMissed harmful (${misses.length}):\n${misses.map((r) => `  [${r.item.obfuscation}] ${JSON.stringify(r.item.text.slice(0, 90))}`).join("\n")}`);
  if (wrong.length) console.log(`\nBenign flagged (${wrong.length}):\n${wrong.map((r) => `  ${r.action}: ${JSON.stringify(r.item.text.slice(0, 90))} → ${[...r.categories].join(",")}`).join("\n")}`);

  const bench = moderationBench();
  console.log(`\nStreaming moderator (max hold ${bench.maxHoldChars} chars)`);
  console.log(`${pad("case", 24)}${pad("tokens", 9)}${pad("p50 µs", 9)}${pad("p99 µs", 9)}${pad("max µs", 9)}${pad("held chars", 12)}${pad("hold p99 (tokens)", 19)}max held`);
  for (const c of bench.cases) {
    console.log(
      `${pad(c.name, 24)}${pad(c.tokens, 9)}${pad(c.perTokenP50Us.toFixed(2), 9)}${pad(c.perTokenP99Us.toFixed(2), 9)}${pad(c.perTokenMaxUs.toFixed(0), 9)}${pad(pct(c.heldCharShare), 12)}${pad(c.holdTokensP99, 19)}${c.maxHeldChars}`,
    );
  }
  const p99 = Math.max(...bench.cases.map((c) => c.perTokenP99Us));
  console.log(`per-token p99 ${p99.toFixed(2)} µs (target ≤ ${MODERATION_PER_TOKEN_P99_TARGET_US} µs)`);

  const out = path.resolve(import.meta.dirname, "../results/safety-eval.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), items: items.length, perCategory, obfuscations, benignRates, falseBlock, falseFlag, stream: bench }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  return falseBlock <= FALSE_BLOCK_TARGET && p99 <= MODERATION_PER_TOKEN_P99_TARGET_US ? 0 : 1;
}

process.exitCode = main();
