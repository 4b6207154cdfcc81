// Resident memory of a process and its descendants, from /proc. WebAssembly memory lives outside
// V8's heap limits, so this (not --max-old-space-size) is what bounds a Python run's memory.
import fs from "node:fs";

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ")) if (c.trim()) out.push(Number(c));
    } catch {
      // The task ended while we looked.
    }
  }
  return out;
}

/** Bytes resident in `pid` and every process below it (a wrapper such as bwrap forks the real one). */
export function treeRssBytes(pid: number, depth = 0): number {
  let kb = rssKb(pid);
  if (depth < 4) for (const c of children(pid)) kb += treeRssBytes(c, depth + 1) / 1024;
  return kb * 1024;
}
