// The code interpreter's sandbox, attacked from inside: network, the app's environment and files,
// memory, time, and the Function-constructor escape to the host process. Real processes, real
// sockets; the interpreter is the one the tool uses.
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Interpreter, type InterpreterLimits, type RunOutcome } from "@/lib/tools/python/interpreter";
import { probeIsolation } from "@/lib/tools/python/isolation";
import { InterpreterPool } from "@/lib/tools/python/pool";

const iso = probeIsolation();
const limits: InterpreterLimits = { timeoutMs: 4_000, memoryMb: 400, maxFileBytes: 64 * 1024, maxTotalBytes: 256 * 1024 };
const SECRET = "sk-secret-" + Math.random().toString(36).slice(2);
let pool: InterpreterPool;
let server: net.Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  // The parent's environment holds a secret the sandbox must not see.
  process.env.CHATGATE_TEST_SECRET = SECRET;
  server = net.createServer((s) => {
    connections++;
    s.end("hello from the host\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
  if (iso.ok) {
    pool = new InterpreterPool(iso, limits, 2);
    pool.fill();
  }
}, 60_000);

afterAll(async () => {
  pool?.close();
  delete process.env.CHATGATE_TEST_SECRET;
  await new Promise((r) => server.close(r));
});

/** Runs on a warm interpreter; `ms` is the run alone (not the wait for a warm interpreter). */
async function run(code: string, signal = new AbortController().signal): Promise<RunOutcome & { ms: number }> {
  const interp = await pool.take();
  const started = Date.now();
  const out = await interp.run(code, signal);
  return { ...out, ms: Date.now() - started };
}

// Start-ups compete for 2 cores with everything else: generous per-test time.
describe.runIf(iso.ok)("sandboxed Python", { timeout: 60_000 }, () => {
  it("runs code, captures stdout/stderr and returns written files", async () => {
    const out = await run(`import sys\nprint("hi", 6*7)\nprint("oops", file=sys.stderr)\nopen("report.csv","w").write("a,b\\n1,2\\n")\nimport os\nos.makedirs("sub", exist_ok=True)\nopen("sub/x.txt","w").write("x")`);
    expect(out.status).toBe("ok");
    expect(out.stdout).toBe("hi 42\n");
    expect(out.stderr).toBe("oops\n");
    const names = out.files.map((f) => f.name).sort();
    expect(names).toEqual(["report.csv", "sub/x.txt"]);
    expect(Buffer.from(out.files.find((f) => f.name === "report.csv")!.bytes).toString()).toBe("a,b\n1,2\n");
  });

  it("caps files by size", async () => {
    const out = await run(`open("big.bin","wb").write(b"x" * (200*1024))\nopen("ok.txt","w").write("fine")`);
    expect(out.files.map((f) => f.name)).toEqual(["ok.txt"]);
    expect(out.skipped).toEqual(["big.bin"]);
  });

  it("caps output", async () => {
    const out = await run(`for i in range(100000):\n    print("x" * 50)`);
    expect(out.status).toBe("ok");
    expect(out.stdout.length).toBeLessThanOrEqual(100_000);
    expect(out.stdout.length).toBeGreaterThan(50_000);
  });

  it("reports a Python exception as an error with its traceback", async () => {
    const out = await run(`raise ValueError("bad input")`);
    expect(out.status).toBe("error");
    expect(out.error).toContain("ValueError: bad input");
  });

  it("cannot reach the network, not even the host's loopback", async () => {
    const before = connections;
    const code = `
import js
from pyodide.ffi import to_js
out = []
try:
    import socket
    s = socket.create_connection(("127.0.0.1", ${port}), timeout=2)
    out.append("socket connected")
except Exception as e:
    out.append("socket failed")
proc = js.Function.constructor("return globalThis.process") if hasattr(js, "Function") else None
print(out)
`;
    const out = await run(code);
    expect(out.stdout + (out.error ?? "")).not.toContain("socket connected");
    expect(connections).toBe(before);
  });

  it("the Function-constructor escape yields no usable process", async () => {
    const code = `
import pyodide_js
results = []
try:
    p = pyodide_js.constructor.constructor("return globalThis.process")()
    results.append("escaped: " + str(type(p)))
except Exception as e:
    results.append("escape blocked: " + type(e).__name__)
import js
for name in ["process", "require", "fetch"]:
    results.append(name + "=" + str(getattr(js, name, None)))
print(results)
`;
    const out = await run(code);
    expect(out.status).toBe("ok");
    expect(out.stdout).toContain("escape blocked");
    expect(out.stdout).not.toContain("escaped:");
    expect(out.stdout).toContain("process=None");
    expect(out.stdout).toContain("require=None");
  });

  it("even with the host's process object the sandbox holds (permission model, empty env, no netns route)", async () => {
    // Drive the child's own node directly, as an escape would if it got past code-generation limits.
    const script = path.join(process.cwd(), "lib/tools/python/interpreter-child.mjs");
    const interp = new Interpreter(iso as Extract<typeof iso, { ok: true }>, limits);
    await interp.ready;
    const out = await interp.run(
      `
import os
print("env", os.environ.get("CHATGATE_TEST_SECRET"))
for f in ["/etc/passwd", "${path.join(process.cwd(), "package.json")}", "${script}"]:
    try:
        open(f).read(); print("read", f)
    except Exception as e:
        print("no", type(e).__name__)
`,
      new AbortController().signal,
    );
    expect(out.stdout).toContain("env None");
    expect(out.stdout).not.toContain("read ");
    expect(out.stdout).not.toContain(SECRET);
  });

  it("cannot exceed its memory", async () => {
    const out = await run(`chunks = []\nwhile True:\n    chunks.append(bytearray(32*1024*1024))`);
    expect(out.status).toBe("memory");
    expect(out.error).toContain("MemoryError");
    // A hard stop when the growth is not Python's own (JS buffers, touched so they are resident):
    // the watchdog on resident memory kills the process.
    const out2 = await run(`import js\nfrom pyodide.ffi import to_js\nbufs = [js.Uint8Array.new(64*1024*1024).fill(1) for _ in range(20)]\nprint(len(bufs))`);
    expect(out2.status).toBe("memory");
    expect(out2.stdout).not.toContain("20");
  });

  it("cannot outlive its time limit", async () => {
    const out = await run(`while True:\n    pass`);
    expect(out.status).toBe("timeout");
    expect(out.ms).toBeGreaterThanOrEqual(limits.timeoutMs - 50);
    expect(out.ms).toBeLessThan(limits.timeoutMs + 2_500);
    // A loop that swallows KeyboardInterrupt is SIGKILLed after the grace period.
    const out2 = await run(`while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass`);
    expect(out2.status).toBe("timeout");
    expect(out2.ms).toBeLessThan(limits.timeoutMs + 2_500);
  }, 60_000);

  it("stops when the caller aborts", async () => {
    const stop = new AbortController();
    const interp = await pool.take();
    setTimeout(() => stop.abort(), 1_500);
    const started = Date.now();
    const out = await interp.run(`import time\nprint("started", flush=True)\nwhile True: time.sleep(0.01)`, stop.signal);
    expect(out.status).toBe("stopped");
    expect(out.stdout).toContain("started"); // output before the stop is kept
    expect(Date.now() - started).toBeLessThan(1_500 + 2_500);
  });

  it("never reuses an interpreter", async () => {
    const interp = await pool.take();
    await interp.run(`x = 1`, new AbortController().signal);
    await expect(interp.run(`print(x)`, new AbortController().signal)).rejects.toThrow(/once/);
    const next = await run(`print(globals().get("x"))`);
    expect(next.stdout).toBe("None\n");
  });
});

describe.runIf(iso.ok)("the pool", { timeout: 90_000 }, () => {
  it("keeps at most maxLive interpreters alive; a run beyond waits for one to exit", async () => {
    const small = new InterpreterPool(iso as Extract<typeof iso, { ok: true }>, limits, 1, 2);
    try {
      const never = new AbortController().signal;
      const first = await small.take();
      const second = await small.take();
      const stopSecond = new AbortController();
      const runs = [first.run("import time\ntime.sleep(1.5)", never), second.run("import time\nwhile True: time.sleep(0.05)", stopSecond.signal)];
      let third = false;
      const pending = small.take().then((i) => {
        third = true;
        return i;
      });
      await new Promise((r) => setTimeout(r, 800));
      expect(third).toBe(false); // two alive, both busy
      await runs[0];
      const interp = await pending; // the first one's exit freed a slot
      expect(third).toBe(true);
      stopSecond.abort();
      await runs[1];
      interp.kill();
    } finally {
      small.close();
    }
  });
});

describe.runIf(!iso.ok)("without isolation", () => {
  it("the code interpreter is off and says why", () => {
    expect(iso.ok).toBe(false);
  });
});
