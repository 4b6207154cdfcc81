// One measured run: the load generator's figures plus what the processes did meanwhile — app and
// simulator CPU (from /proc, summed over each process tree), app RSS (plateau, peak, after), the
// whole machine's CPU use, and the app's own histograms (persistence, TTFT) over the run.
import os from "node:os";
import { runLevel, type RunOptions, type RunResult } from "./loadgen";
import { allProcesses, machineCpu, otherProcessesCpu, processTree, RssWatcher, sampleTree } from "./proc";
import { gauge, histogramDelta, parseMetrics, type HistogramDelta, type Scrape } from "./prom";
import { getText, sleep, waitFor, type App, type Proc } from "./stack";

export interface Stack {
  sim: Proc;
  app: App;
  cookie: string;
  /** The app's PostgreSQL database, whose server processes are counted apart; null on PGlite. */
  dbName: string | null;
}

export interface Measured {
  run: RunResult;
  appCpuMs: number;
  /** Of which in the kernel (system time). */
  appSysMs: number;
  simCpuMs: number;
  /** Median app RSS (kB) while the hold window ran: the plateau with N streams open. */
  appRssPlateauKb: number;
  appRssPeakKb: number;
  /** App RSS just before the run: the baseline its plateau is compared with. */
  appRssBeforeKb: number;
  /** App RSS once the run's replies are all saved and 1 s has passed. */
  appRssAfterKb: number;
  /** Whole-machine CPU busy over the run, % of all cores (includes anything else running). */
  machineBusyPct: number;
  /** Of which interrupts/softirq and hypervisor steal, % of one core. */
  irqPct: number;
  stealPct: number;
  /** CPU of every other process on the machine (other users' work), % of one core, and the top ones. */
  otherPct: number;
  /** PostgreSQL backends of the app's database (PostgreSQL runs only), CPU ms over the run. */
  dbCpuMs: number;
  otherTop: { pid: number; cmd: string; cpuMs: number }[];
  idleWaitMs: number;
  /** CLOCK_MONOTONIC µs (the clock of V8 CPU profiles) at the run's start and once it was idle again. */
  monoStartUs: number;
  monoEndUs: number;
  persistFinish: HistogramDelta;
  persistStartTurn: HistogramDelta;
  persistCheckpoint: HistogramDelta;
  gatewayTtft: HistogramDelta;
}

const CORES = os.cpus().length;

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** The app's JS heap in use (prom-client's nodejs_heap_size_used_bytes), MB. */
export async function heapUsedMb(app: App): Promise<number> {
  return gauge(await scrape(app), "nodejs_heap_size_used_bytes") / 2 ** 20;
}

export async function scrape(app: App): Promise<Scrape> {
  return parseMetrics(await getText(`${app.url}/api/metrics`, { authorization: `Bearer ${app.metricsToken}` }));
}

interface SimStats {
  running: number;
  waiting: number;
}

/** Until no reply is live in the app and no sequence runs in the simulator (replies saved). */
export async function waitIdle(stack: Stack, timeoutMs = 60_000): Promise<{ ms: number; last: Scrape }> {
  let last: Scrape = new Map();
  const ms = await waitFor(
    "idle app and simulator",
    async () => {
      last = await scrape(stack.app);
      const stats = JSON.parse(await getText(`${stack.sim.url}/sim/stats`)) as SimStats;
      return gauge(last, "gateway_live_replies") === 0 && stats.running === 0 && stats.waiting === 0;
    },
    timeoutMs,
    100,
  );
  return { ms, last };
}

export async function measuredRun(stack: Stack, opts: RunOptions): Promise<Measured> {
  const before = await scrape(stack.app);
  const app0 = sampleTree(stack.app.pid);
  const sim0 = sampleTree(stack.sim.pid);
  const m0 = machineCpu();
  const all0 = allProcesses();
  const monoStartUs = monotonicUs();
  const t0 = performance.now();
  const watcher = new RssWatcher(stack.app.pid, 250);
  watcher.start();
  const run = await runLevel(opts);
  const idle = await waitIdle(stack);
  watcher.stop();
  const app1 = sampleTree(stack.app.pid);
  const sim1 = sampleTree(stack.sim.pid);
  const m1 = machineCpu();
  const mine = new Set([...processTree(stack.app.pid), ...processTree(stack.sim.pid), process.pid, process.ppid]);
  const others = otherProcessesCpu(all0, allProcesses(), mine, stack.dbName);
  const monoEndUs = monotonicUs();
  await sleep(1_000);
  const after = idle.last;
  const hist = (name: string, label: string) => histogramDelta(before, after, name, label);
  return {
    run,
    appCpuMs: app1.cpuMs - app0.cpuMs,
    appSysMs: app1.sysMs - app0.sysMs,
    simCpuMs: sim1.cpuMs - sim0.cpuMs,
    appRssPlateauKb: watcher.medianBetween(run.windowStart, run.windowEnd) || watcher.peakKb,
    appRssPeakKb: watcher.peakKb,
    appRssBeforeKb: app0.rssKb,
    appRssAfterKb: sampleTree(stack.app.pid).rssKb,
    machineBusyPct: ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100,
    irqPct: ((m1.irq - m0.irq) / Math.max(1, m1.total - m0.total)) * 100 * CORES,
    stealPct: ((m1.steal - m0.steal) / Math.max(1, m1.total - m0.total)) * 100 * CORES,
    otherPct: (others.cpuMs / (performance.now() - t0)) * 100,
    dbCpuMs: others.dbCpuMs,
    otherTop: others.top,
    idleWaitMs: idle.ms,
    monoStartUs,
    monoEndUs,
    persistFinish: hist("gateway_persist_seconds", 'step="finish"'),
    persistStartTurn: hist("gateway_persist_seconds", 'step="start_turn"'),
    persistCheckpoint: hist("gateway_persist_seconds", 'step="checkpoint"'),
    gatewayTtft: hist("gateway_time_to_first_token_seconds", ""),
  };
}

/** What the gateway sends upstream for a new conversation with `text`, read back through the catalog's sim-echo model. */
export async function echoThroughGateway(stack: Stack, text: string): Promise<{ system: string; messages: { role: string; content: string }[]; maxTokens: number | null; promptTokens: number }> {
  const res = await fetch(`${stack.app.url}/api/chat`, {
    method: "POST",
    headers: { cookie: stack.cookie, "content-type": "application/json" },
    body: JSON.stringify({ id: crypto.randomUUID(), model: "sim-echo", message: { id: crypto.randomUUID(), text } }),
  });
  let echoed = "";
  for (const line of (await res.text()).split("\n")) {
    if (line.startsWith('data: {"type":"text-delta"')) echoed += (JSON.parse(line.slice(6)) as { delta: string }).delta;
  }
  await waitIdle(stack);
  if (res.status !== 200 || !echoed) throw new Error(`echo through the gateway failed: HTTP ${res.status}`);
  const sent = JSON.parse(echoed) as { messages: { role: string; content: string }[]; params: { max_tokens: number | null } };
  const system = sent.messages[0]?.role === "system" ? sent.messages[0].content : "";
  if (sent.messages.length !== 2 || sent.messages[1].content !== text) {
    throw new Error(`unexpected upstream messages for a new conversation: ${JSON.stringify(sent.messages).slice(0, 400)}`);
  }
  // The simulator's own estimate (≈ characters / 4 plus framing), as it reports prompt_tokens.
  const promptTokens = 3 + sent.messages.reduce((n, m) => n + 4 + Math.ceil(m.content.length / 4), 0);
  return { system, messages: sent.messages, maxTokens: sent.params.max_tokens, promptTokens };
}
