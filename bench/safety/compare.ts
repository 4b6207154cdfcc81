// Side-by-side cost of the input check against another checkout (e.g. main) on a shared machine:
// `npx tsx bench/safety/compare.ts /path/to/other/checkout [rounds]`. Each round runs this checkout's
// and the other's lib/safety over the same 2,000-character messages (cost.ts COST_SHAPES), one after
// the other, each in its own process; alternating keeps a burst of other people's load from falling
// on one side only. Prints, per message, the median over rounds of the CPU time per check and of the
// wall-clock p50 and p99, for both.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COST_SHAPES } from "./cost";

type Side = Record<string, { cpuMeanMs: number; wallP50Ms: number; wallP99Ms: number }>;

const here = path.resolve(import.meta.dirname, "../..");
const other = path.resolve(process.argv[2] ?? "");
const rounds = Number(process.argv[3] ?? 5);
if (!process.argv[2] || !fs.existsSync(path.join(other, "lib/safety/input.ts"))) {
  console.error("usage: npx tsx bench/safety/compare.ts <checkout with lib/safety> [rounds]");
  process.exit(2);
}
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "safety-compare-")), "messages.json");
fs.writeFileSync(file, JSON.stringify({ messages: COST_SHAPES, runs: 500 }));
const probe = path.join(here, "bench/safety/cost-probe.ts");
const tsx = path.join(here, "node_modules/.bin/tsx");
const run = (root: string) => JSON.parse(execFileSync(tsx, [probe, file], { cwd: root, encoding: "utf8" })) as Side;

const results: { this: Side[]; other: Side[] } = { this: [], other: [] };
for (let r = 0; r < rounds; r++) {
  results.this.push(run(here));
  results.other.push(run(other));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`${rounds} rounds, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs; medians over rounds (ms per check)`);
console.log(`${pad("message", 20)}${pad("cpu this", 11)}${pad("cpu other", 11)}${pad("p50 this", 11)}${pad("p50 other", 11)}${pad("p99 this", 11)}p99 other`);
for (const name of Object.keys(COST_SHAPES)) {
  const m = (side: Side[], k: "cpuMeanMs" | "wallP50Ms" | "wallP99Ms") => median(side.map((s) => s[name][k])).toFixed(3);
  console.log(`${pad(name, 20)}${pad(m(results.this, "cpuMeanMs"), 11)}${pad(m(results.other, "cpuMeanMs"), 11)}${pad(m(results.this, "wallP50Ms"), 11)}${pad(m(results.other, "wallP50Ms"), 11)}${pad(m(results.this, "wallP99Ms"), 11)}${m(results.other, "wallP99Ms")}`);
}
