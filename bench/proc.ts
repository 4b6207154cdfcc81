// CPU time and RSS of a process and its descendants, read from /proc (Linux). `next start` may run
// the server in a child process, so every figure is summed over the tree of the PID we spawned.
import fs from "node:fs";

// CLK_TCK (`getconf CLK_TCK`) is 100 on every mainstream Linux; CPU time has 10 ms resolution.
const clockTicks = Number(process.env.CLK_TCK) || 100;

interface StatLine {
  ppid: number;
  /** utime + stime in ms. */
  cpuMs: number;
  /** stime (kernel: syscalls, and on loopback the receiving side's TCP work) in ms. */
  sysMs: number;
}

function readStat(pid: number): StatLine | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { ppid, cpuMs: ((utime + stime) * 1000) / clockTicks, sysMs: (stime * 1000) / clockTicks };
  } catch {
    return null;
  }
}

function readRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The PID and all its live descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export interface ProcSample {
  at: number;
  cpuMs: number;
  sysMs: number;
  rssKb: number;
  pids: number[];
}

/** CPU (user + system, ms) and RSS (kB) summed over the tree. Re-lists the tree each time. */
export function sampleTree(root: number): ProcSample {
  const pids = processTree(root).filter((pid) => readStat(pid) !== null);
  let cpuMs = 0;
  let sysMs = 0;
  let rssKb = 0;
  for (const pid of pids) {
    const st = readStat(pid);
    cpuMs += st?.cpuMs ?? 0;
    sysMs += st?.sysMs ?? 0;
    rssKb += readRssKb(pid);
  }
  return { at: performance.now(), cpuMs, sysMs, rssKb, pids };
}

/** Samples RSS every `everyMs` while a run lasts; keeps the maximum and the samples. */
export class RssWatcher {
  peakKb = 0;
  readonly samples: { at: number; rssKb: number }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly root: number,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const s = sampleTree(this.root);
      this.samples.push({ at: s.at, rssKb: s.rssKb });
      if (s.rssKb > this.peakKb) this.peakKb = s.rssKb;
    }, this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Largest RSS seen between two instants (ms, performance.now()). */
  peakBetween(from: number, to: number): number {
    let peak = 0;
    for (const s of this.samples) if (s.at >= from && s.at <= to && s.rssKb > peak) peak = s.rssKb;
    return peak;
  }

  /** Median RSS between two instants: the level's plateau, less sensitive to one GC spike than the peak. */
  medianBetween(from: number, to: number): number {
    const v = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rssKb).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : 0;
  }
}

export interface MachineCpu {
  /** Jiffies over all cores since boot. */
  total: number;
  busy: number;
  /** Interrupt and softirq time (loopback TCP is mostly processed here, charged to no process). */
  irq: number;
  /** Time the hypervisor gave to other guests. */
  steal: number;
}

/** Whole-machine CPU jiffies (all cores), to show contention from anything else running. */
export function machineCpu(): MachineCpu {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + (steal ?? 0);
  return { total, busy: total - idle - iowait, irq: irq + softirq, steal: steal ?? 0 };
}

/** CPU ms of every process on the machine, by PID, with its command line (to name other users' load). */
export function allProcesses(): Map<number, { cpuMs: number; cmd: string }> {
  const out = new Map<number, { cpuMs: number; cmd: string }>();
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    let cmd = "";
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim().slice(0, 80);
    } catch {
      cmd = "";
    }
    out.set(pid, { cpuMs: st.cpuMs, cmd });
  }
  return out;
}

/**
 * CPU ms used between two snapshots by processes outside `mine` (and the biggest of them), and by
 * the PostgreSQL backends serving `dbName` (their command line names the database), counted apart.
 */
export function otherProcessesCpu(
  before: Map<number, { cpuMs: number; cmd: string }>,
  after: Map<number, { cpuMs: number; cmd: string }>,
  mine: Set<number>,
  dbName: string | null,
): { cpuMs: number; dbCpuMs: number; top: { pid: number; cmd: string; cpuMs: number }[] } {
  let cpuMs = 0;
  let dbCpuMs = 0;
  const rows: { pid: number; cmd: string; cpuMs: number }[] = [];
  for (const [pid, a] of after) {
    if (mine.has(pid)) continue;
    const d = a.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    if (d <= 0) continue;
    if (dbName && a.cmd.startsWith("postgres:") && a.cmd.includes(` ${dbName} `)) {
      dbCpuMs += d;
      continue;
    }
    cpuMs += d;
    rows.push({ pid, cmd: a.cmd, cpuMs: d });
  }
  return { cpuMs, dbCpuMs, top: rows.sort((x, y) => y.cpuMs - x.cpuMs).slice(0, 3) };
}
