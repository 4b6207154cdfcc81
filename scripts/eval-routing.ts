// npm run eval:routing — the "auto" cascade on the labelled prompt set: accuracy, the share routed to
// the cheap model, the cost saved against always using the strong model (catalog prices), and the
// classifier's own latency (p50/p99 over every prompt, many rounds).
import { performance } from "node:perf_hooks";
import { resetEnvForTests } from "@/lib/env";
import { findModel, getCatalog } from "@/lib/models/catalog";
import { classify } from "@/lib/routing/cascade";
import { loadLabelledPrompts } from "@/lib/routing/labelled-prompts";
import { pickReplica } from "@/lib/routing/router";

/** Assumed reply length for the cost estimate (tokens); the prompt is ~4 characters a token. */
const REPLY_TOKENS = 400;

const prompts = loadLabelledPrompts();
const auto = getCatalog().models.find((m) => m.cascade);
if (!auto?.cascade) throw new Error("the catalog has no cascade (auto) model");
const cheap = findModel(auto.cascade.cheap)!;
const strong = findModel(auto.cascade.strong)!;
const cost = (m: typeof cheap, promptTokens: number) => (promptTokens * m.pricing.inputPerM + REPLY_TOKENS * m.pricing.outputPerM) / 1e6;

const confusion = { cheap: { cheap: 0, strong: 0 }, strong: { cheap: 0, strong: 0 } };
let routedCost = 0;
let strongCost = 0;
for (const p of prompts) {
  const tier = classify({ text: p.text, depth: p.depth, attachments: p.attachments }).tier;
  confusion[p.label][tier]++;
  const tokens = Math.ceil(p.text.length / 4) + 200; // + system prompt and history
  routedCost += cost(tier === "cheap" ? cheap : strong, tokens);
  strongCost += cost(strong, tokens);
}

const ROUNDS = 50;
const samples: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const p of prompts) {
    const t0 = performance.now();
    classify({ text: p.text, depth: p.depth, attachments: p.attachments });
    samples.push(performance.now() - t0);
  }
}
samples.sort((a, b) => a - b);
const q = (x: number) => samples[Math.min(samples.length - 1, Math.floor(x * samples.length))];

// The whole routing decision per request: classifier + replica choice (health, load, bounded
// affinity on a 4-replica pool). No polling here: the replicas are not running.
process.env.ROUTER_POLL_MS = "0";
resetEnvForTests();
const pool = { name: "eval-pool", upstreamModel: "m", replicas: [1, 2, 3, 4].map((i) => ({ url: `http://10.0.0.${i}:8000`, weight: 1 })) };
const routeSamples: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  prompts.forEach((p, i) => {
    const t0 = performance.now();
    classify({ text: p.text, depth: p.depth, attachments: p.attachments });
    pickReplica(pool, { affinityKey: `conversation-${i}` });
    routeSamples.push(performance.now() - t0);
  });
}
routeSamples.sort((a, b) => a - b);
const rq = (x: number) => routeSamples[Math.min(routeSamples.length - 1, Math.floor(x * routeSamples.length))];

const n = prompts.length;
const correct = confusion.cheap.cheap + confusion.strong.strong;
const toCheap = confusion.cheap.cheap + confusion.strong.cheap;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`auto → ${cheap.id} (cheap) / ${strong.id} (strong) on ${n} labelled prompts\n`);
console.log("| figure | value |\n| --- | --- |");
console.log(`| accuracy | ${pct(correct / n)} (${correct}/${n}) |`);
console.log(`| routed to cheap | ${pct(toCheap / n)} |`);
console.log(`| strong prompts sent to cheap (quality risk) | ${confusion.strong.cheap} |`);
console.log(`| cheap prompts sent to strong (cost leak) | ${confusion.cheap.strong} |`);
console.log(`| cost vs always-strong (${REPLY_TOKENS}-token replies) | $${routedCost.toFixed(4)} vs $${strongCost.toFixed(4)}: ${pct(1 - routedCost / strongCost)} saved |`);
console.log(`| classifier latency p50 / p99 / max (${samples.length} calls) | ${(q(0.5) * 1000).toFixed(1)} µs / ${(q(0.99) * 1000).toFixed(1)} µs / ${(samples[samples.length - 1] * 1000).toFixed(1)} µs |`);
console.log(`| classifier + replica choice p50 / p99 (${routeSamples.length} calls) | ${(rq(0.5) * 1000).toFixed(1)} µs / ${(rq(0.99) * 1000).toFixed(1)} µs |`);
if (rq(0.99) > 1) {
  console.error("routing adds more than 1 ms at p99");
  process.exitCode = 1;
}

// Hostile input (review finding 3): 100 k characters of each shape that made the old patterns
// backtrack, classified whole, as route.ts would (classify reads a bounded slice of a long text).
const HOSTILE: Record<string, string> = {
  digits: "1".repeat(100_000),
  newlines: "\n".repeat(100_000),
  "space-newline pairs": " \n".repeat(50_000),
  "one long word": "w".repeat(100_000),
  "SELECT on one line": "SELECT ".repeat(14_000),
  "first on one line": "first ".repeat(16_000),
};
let worstHostile = 0;
const hostileCells: string[] = [];
for (const [shape, text] of Object.entries(HOSTILE)) {
  const t0 = performance.now();
  classify({ text, depth: 1, attachments: 0 });
  const ms = performance.now() - t0;
  worstHostile = Math.max(worstHostile, ms);
  hostileCells.push(`${shape} ${ms.toFixed(2)} ms`);
}
console.log(`| classifier on 100 k hostile characters, worst | ${worstHostile.toFixed(2)} ms (${hostileCells.join(", ")}) |`);
if (worstHostile > 50) {
  console.error("the classifier takes more than 50 ms on a hostile 100 k-character input");
  process.exitCode = 1;
}
