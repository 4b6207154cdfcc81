// One code-interpreter process (plain JS: it runs under bare `node` with the permission model, no
// loader). The main thread only relays messages and owns the interrupt buffer; Pyodide runs in a
// worker thread so the main thread stays free to interrupt it while Python computes.
// The parent (interpreter.ts) starts this inside its own network namespace with an empty
// environment, read access to the Pyodide package, this file and the start-up snapshot only, and a
// memory watchdog.
import { constants as fsConstants, readFileSync, writeFileSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const MAX_FILES = 20;
const MAX_OUTPUT = 200_000;

if (isMainThread) {
  // mode "run": serve one run; "snapshot": write a memory snapshot of a fresh interpreter to
  // `snapshot` and exit (later interpreters start from it in a fraction of the time).
  const [mode, indexURL, snapshot, maxFileBytes, maxTotalBytes] = process.argv.slice(2);
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  let timer = null;
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { mode, indexURL, snapshot, interrupt, maxFileBytes: Number(maxFileBytes), maxTotalBytes: Number(maxTotalBytes) },
    env: {},
  });
  worker.on("message", (m) => {
    if (m.type === "result") clearTimeout(timer);
    process.send(m);
  });
  worker.on("error", (err) => {
    process.send({ type: "fatal", message: String(err && err.message ? err.message : err).slice(0, 500) });
    process.exit(1);
  });
  worker.on("exit", () => process.exit(1));
  process.on("message", (m) => {
    if (m.type === "run") {
      Atomics.store(interrupt, 0, 0);
      worker.postMessage(m);
      // SIGINT (2) makes Pyodide raise KeyboardInterrupt at its next check; the parent SIGKILLs later.
      timer = setTimeout(() => Atomics.store(interrupt, 0, 2), m.timeoutMs);
    } else if (m.type === "interrupt") {
      Atomics.store(interrupt, 0, 2);
    }
  });
  // The parent going away ends us: an orphaned interpreter serves nobody.
  process.on("disconnect", () => process.exit(0));
} else {
  // Pyodide's NODEFS asks process.binding("constants"), which the permission model forbids; the
  // public fs.constants hold the same values.
  process.binding = (name) => {
    if (name === "constants") return { fs: fsConstants };
    throw new Error("process.binding is not available");
  };
  const { mode, indexURL, snapshot, interrupt, maxFileBytes, maxTotalBytes } = workerData;
  const { loadPyodide } = await import(new URL("pyodide.mjs", `file://${indexURL}/`).href);
  const options = { indexURL: `${indexURL}/`, env: { HOME: "/home/pyodide" } };
  if (mode === "snapshot") {
    const fresh = await loadPyodide({ ...options, _makeSnapshot: true });
    writeFileSync(snapshot, fresh.makeMemorySnapshot());
    parentPort.postMessage({ type: "snapshot" });
    await new Promise(() => {}); // the parent kills us once it has the file
  }
  const py = await loadPyodide(snapshot ? { ...options, _loadSnapshot: readFileSync(snapshot) } : options);
  py.setInterruptBuffer(interrupt);
  let stdout = "";
  let stderr = "";
  // Output past the cap is dropped here, so a print loop cannot grow memory until the watchdog kills us.
  py.setStdout({ batched: (s) => void (stdout.length < MAX_OUTPUT && (stdout += s + "\n")) });
  py.setStderr({ batched: (s) => void (stderr.length < MAX_OUTPUT && (stderr += s + "\n")) });
  py.setStdin({ error: true });
  // Warm-up, our code only: the first run after a start compiles the hot paths (compile, print,
  // common imports); doing it before "ready" keeps it off the user's time to first output.
  py.runPython("import sys, os, json, math, re\nprint('warm')\nsys.stdout.flush()");
  stdout = "";
  // Nothing of the host stays reachable from Python's `js` module or a Function-constructor escape
  // (code generation from strings is off besides): no process, no require, no network clients.
  for (const key of ["process", "require", "module", "exports", "Buffer", "fetch", "WebSocket", "EventSource", "XMLHttpRequest", "navigator"]) {
    try {
      delete globalThis[key];
    } catch {
      globalThis[key] = undefined;
    }
  }
  const port = parentPort;
  const workDir = "/home/pyodide";

  const collect = () => {
    const files = [];
    let total = 0;
    const skipped = [];
    const walk = (dir, prefix) => {
      for (const name of py.FS.readdir(dir)) {
        if (name === "." || name === "..") continue;
        const full = `${dir}/${name}`;
        const stat = py.FS.stat(full);
        if (py.FS.isDir(stat.mode)) walk(full, `${prefix}${name}/`);
        else if (py.FS.isFile(stat.mode)) {
          if (files.length >= MAX_FILES || stat.size > maxFileBytes || total + stat.size > maxTotalBytes) skipped.push(prefix + name);
          else {
            total += stat.size;
            files.push({ name: prefix + name, bytes: py.FS.readFile(full) });
          }
        }
      }
    };
    walk(workDir, "");
    return { files, skipped };
  };

  port.on("message", (m) => {
    if (m.type !== "run") return;
    const started = performance.now();
    let status = "ok";
    let error = null;
    try {
      py.runPython(m.code);
    } catch (err) {
      const text = String(err && err.message ? err.message : err);
      status = /KeyboardInterrupt/.test(text) ? "interrupted" : /MemoryError/.test(text) ? "memory" : "error";
      error = text.slice(-4000);
    }
    const durationMs = performance.now() - started;
    let collected = { files: [], skipped: [] };
    try {
      collected = collect();
    } catch {
      // A file system the code broke still leaves its output to report.
    }
    port.postMessage({ type: "result", status, stdout, stderr, error, durationMs, ...collected });
  });
  port.postMessage({ type: "ready" });
}
