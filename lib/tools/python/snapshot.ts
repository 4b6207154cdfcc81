// A memory snapshot of a freshly started interpreter, made once per app process in the same
// sandbox. Interpreters started from it skip most of Pyodide's start-up (measured here: ~1.4 s
// instead of ~10 s on a loaded 2-core machine). It holds no user state: it is taken before any
// code runs. If it cannot be made, interpreters start the slow way.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSandboxed, type InterpreterLimits } from "./interpreter";
import type { Isolation } from "./isolation";

const SNAPSHOT_TIMEOUT_MS = 120_000;

export function makeSnapshot(iso: Extract<Isolation, { ok: true }>, limits: InterpreterLimits): Promise<string | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-pysnap-"));
  const file = path.join(dir, "snapshot.bin");
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  // The snapshot child runs no user code; the memory limit is raised so the snapshot fits.
  const child = spawnSandboxed(iso, { ...limits, memoryMb: Math.max(limits.memoryMb, 512) }, { mode: "snapshot", dir, snapshot: file });
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), SNAPSHOT_TIMEOUT_MS);
    timer.unref();
    child.on("message", (m: { type?: string }) => {
      if (m.type === "snapshot") finish(fs.existsSync(file) ? file : null);
    });
    child.on("exit", () => finish(null));
    child.on("error", () => finish(null));
  });
}
