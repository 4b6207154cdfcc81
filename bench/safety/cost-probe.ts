// One side of `npm run eval:safety -- --compare=<checkout>` (compare.ts): run with the checkout as the
// working directory (so "@/…" resolves there), it loads that checkout's lib/safety, checks each
// message of a JSON file `runs` times and prints the CPU time and wall-clock percentiles per message
// as JSON. The messages come from the caller, so both sides read the same text.
import fs from "node:fs";
import path from "node:path";

interface Input {
  messages: Record<string, string>;
  runs: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Input;
  const root = process.cwd();
  const { resolveSafetyConfig } = (await import(path.join(root, "lib/safety/config.ts"))) as typeof import("@/lib/safety/config");
  const { decideInput } = (await import(path.join(root, "lib/safety/input.ts"))) as typeof import("@/lib/safety/input");
  const config = resolveSafetyConfig();
  const out: Record<string, { cpuMeanMs: number; wallP50Ms: number; wallP99Ms: number }> = {};
  for (const [name, text] of Object.entries(input.messages)) {
    for (let i = 0; i < 50; i++) decideInput(text, config);
    const wall: number[] = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < input.runs; i++) {
      const t0 = performance.now();
      decideInput(text, config);
      wall.push(performance.now() - t0);
    }
    const c = process.cpuUsage(c0);
    wall.sort((a, b) => a - b);
    const q = (p: number) => wall[Math.min(wall.length - 1, Math.floor((p / 100) * wall.length))];
    out[name] = { cpuMeanMs: (c.user + c.system) / 1000 / input.runs, wallP50Ms: q(50), wallP99Ms: q(99) };
  }
  process.stdout.write(JSON.stringify(out));
}

void main();
