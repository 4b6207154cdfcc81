// Summarizes a V8 CPU profile (node --cpu-prof) of the app: self time by area (Next.js internals,
// WHATWG streams, async hooks, our lib/gateway, the database, JSON, …) and the top functions.
// The app's own code and most dependencies are bundled into .next/server/chunks; their source maps
// (written by next build) map each function back to its original file.
//
//   npx tsx bench/profile.ts /tmp/prof/CPU.….cpuprofile
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(file: string): SourceMap | null {
  if (maps.has(file)) return maps.get(file)!;
  let map: SourceMap | null = null;
  try {
    if (fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

/**
 * Where a frame's code comes from: for Next's server bundles (.next/…), the original file through the
 * bundle's source map (relative to the map); for anything else, its own path. Native frames: "".
 */
function sourceOf(frame: CallFrame): string {
  if (!frame.url.startsWith("file://")) return frame.url;
  const file = fileURLToPath(frame.url);
  if (!file.includes(`${path.sep}.next${path.sep}`)) return file;
  const entry = sourceMapFor(file)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
  const original = entry?.originalSource;
  if (!original) return file;
  return decodeURIComponent(original.startsWith("turbopack://") ? original.replace(/^turbopack:\/\/\/\[project\]\//, `${root}/`) : path.resolve(path.dirname(file), original));
}

const root = path.resolve(import.meta.dirname, "..");

const AREAS: [string, RegExp][] = [
  ["our code: lib/gateway", /\/lib\/gateway\//],
  ["WHATWG streams (node:internal/webstreams)", /node:internal\/webstreams/],
  ["async_hooks / AsyncLocalStorage / promise hooks", /async_hooks|async_local_storage/],
  ["React (react-dom / react-server)", /react-dom|react-server|node_modules\/react\//],
  ["Next.js server", /node_modules\/next\//],
  ["PGlite (WASM Postgres, in the app process)", /@electric-sql\/pglite|async-mutex/],
  ["postgres.js", /node_modules\/postgres\//],
  // drizzle ships its own source maps; chained through Turbopack's they lose the package name.
  ["drizzle-orm", /drizzle-orm|node_modules\/src\/(pg-core|pglite|postgres-js|sql|entity|table|relations|column|migrator|logger|cache|utils|subquery|view|alias|casing|selection-proxy|query-promise|tracing)/],
  ["Auth.js / jose / cookies", /@auth\/core|next-auth|\/jose\/|oauth4webapi|\/cookie/],
  ["zod", /\/zod\//],
  ["eventsource-parser", /eventsource-parser/],
  ["prom-client", /prom-client/],
  ["undici (upstream HTTP client)", /undici/],
  ["our code: other lib/, app/, db/", new RegExp(`^${root}/(lib|app|db|components)/`)],
  ["node HTTP server, net, streams", /node:(_http|http|net|internal\/streams|stream|internal\/http|_stream|internal\/stream_base)/],
  ["node crypto", /node:internal\/crypto|node:crypto/],
  ["node timers / task queues", /node:internal\/(timers|process\/task_queues)/],
  ["other node: internals", /^node:/],
];

const NATIVE: [string, RegExp][] = [
  ["socket writes (native)", /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|shutdown)$/],
  ["file system (native)", /^(fstat|open|read|close|stat|lstat|write|fsync|readFileUtf8|writeFileUtf8)$/],
  ["microtask queue (native)", /^runMicrotasks$/],
  ["JSON (native)", /^(parse|stringify)$/],
];

function area(fn: string, src: string): string {
  if (fn === "(garbage collector)") return "garbage collector";
  if (fn === "(idle)") return "idle";
  if (fn === "(program)") return "V8 / native (program)";
  if (!src) return NATIVE.find(([, re]) => re.test(fn))?.[0] ?? "other native / V8 builtins";
  for (const [name, re] of AREAS) if (re.test(src)) return name;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(src)?.[1];
  return pkg ? `other package: ${pkg}` : "other";
}

function shortPath(src: string): string {
  return src.replace(`${root}/`, "").replace(/^.*node_modules\//, "");
}

/**
 * `windows`: only samples inside these [start, end] CLOCK_MONOTONIC µs ranges (V8 profiles and
 * process.hrtime share that clock), e.g. the load runs without the app's start and warm-up.
 */
export function summarizeProfile(file: string, windows: [number, number][] = [], top = 30): string {
  const prof = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let at = prof.startTime;
  let windowUs = 0;
  for (const [a, b] of windows) windowUs += Math.max(0, Math.min(b, prof.endTime) - Math.max(a, prof.startTime));
  for (let i = 0; i < prof.samples.length; i++) {
    at += prof.timeDeltas[i] ?? 0;
    if (windows.length && !windows.some(([a, b]) => at >= a && at <= b)) continue;
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
  }
  const info = new Map<number, { area: string; src: string; stack: Set<string> }>();
  const nodeInfo = (id: number): { area: string; src: string; stack: Set<string> } => {
    const known = info.get(id);
    if (known) return known;
    const frame = byId.get(id)!.callFrame;
    const src = sourceOf(frame);
    const caller = parent.has(id) ? nodeInfo(parent.get(id)!) : null;
    // WebAssembly frames (PGlite's Postgres, undici's llhttp parser) belong to the JS that called them.
    const wasm = src.startsWith("wasm://") || (!src && /Wasm|wasm/.test(frame.functionName));
    const a = wasm && caller ? caller.area : area(frame.functionName, src);
    const up = caller ? caller.stack : new Set<string>();
    const entry = { area: a, src, stack: up.has(a) ? up : new Set([...up, a]) };
    info.set(id, entry);
    return entry;
  };
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { area: a, src, stack } = nodeInfo(id);
    if (a === "idle") {
      idle += us;
      continue;
    }
    total += us;
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    for (const s of stack) inclusive.set(s, (inclusive.get(s) ?? 0) + us);
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || "(anonymous)"}  ${src ? shortPath(src) : "(native)"}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return [
    `CPU profile ${file}`,
    `  ${((windows.length ? windowUs : prof.endTime - prof.startTime) / 1e6).toFixed(1)} s profiled${windows.length ? ` (${windows.length} load runs)` : ""}; ` +
      `${(total / 1e6).toFixed(2)} s on CPU (${(idle / 1e6).toFixed(1)} s idle)`,
    "",
    "  self time by area (share of CPU time):",
    ...sorted(byArea).map(([name, us]) => `  ${pct(us)} ${ms(us)}  ${name}`),
    "",
    "  inclusive: CPU time with the area anywhere on the stack (areas overlap):",
    ...sorted(inclusive)
      .filter(([name]) => !/^(garbage collector|V8 \/ native|other)/.test(name))
      .slice(0, 16)
      .map(([name, us]) => `  ${pct(us)} ${ms(us)}  ${name}`),
    "",
    `  top ${top} functions by self time:`,
    ...sorted(byFn)
      .slice(0, top)
      .map(([name, us]) => `  ${pct(us)} ${ms(us)}  ${name}`),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) console.log(summarizeProfile(file));
}
