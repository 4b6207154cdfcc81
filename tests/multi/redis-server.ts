// A private redis-server for the multi-instance suite (the suite stops it mid-run, so never the
// shared one), with an append-only file: a restart keeps the data, as a production Redis's would.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";

export interface PrivateRedis {
  url: string;
  port: number;
  /** The server's pid while it runs (the bench counts its CPU). */
  pid(): number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.write("PING\r\n");
      s.once("data", (d) => {
        s.destroy();
        resolve(d.toString().startsWith("+PONG"));
      });
    });
    s.once("error", () => resolve(false));
  });
}

/** `durable`: fsync every write to the append-only file, so a restart loses nothing (the suite); off for the bench. */
export function privateRedis(port: number, dir: string, opts: { durable?: boolean } = { durable: true }): PrivateRedis {
  let child: ChildProcess | null = null;
  const persistence = opts.durable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  return {
    port,
    pid: () => child?.pid,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir],
        { stdio: "ignore" },
      );
      const started = Date.now();
      while (!(await accepting(port))) {
        if (Date.now() - started > 10_000) throw new Error("redis-server did not start");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });
    },
  };
}
