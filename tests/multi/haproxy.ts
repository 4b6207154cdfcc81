// HAProxy (Debian's package) in front of the app instances: round-robin, no stickiness, health
// checks, and a response header naming the server that answered, so tests can see where requests went.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const HAPROXY = fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";

export function haproxyConfig(port: number, servers: { name: string; port: number }[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  # A refused connection (an instance that just died) is retried on the other instance.
  retries 2
  option redispatch 1
  # Each request is balanced on its own: without this, HAProxy keeps sending a client connection's
  # requests to the server its first request went to (keep-alive), a stickiness by accident.
  option http-server-close

frontend chatgate
  bind 127.0.0.1:${port}
  default_backend apps

backend apps
  balance roundrobin
  http-response set-header X-Served-By %s
  # TCP checks: a killed instance refuses connections at once, while an HTTP check of a page can
  # time out on a busy CI machine and take a healthy instance out (deploy/haproxy.cfg checks HTTP).
  default-server check inter 500 fall 2 rise 1
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}`).join("\n")}
`;
}

export async function startHaproxy(dir: string, port: number, servers: { name: string; port: number }[]): Promise<{ url: string; stop(): Promise<void> }> {
  const file = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(file, haproxyConfig(port, servers));
  const log = fs.openSync(path.join(dir, "haproxy.log"), "a");
  const child: ChildProcess = spawn(HAPROXY, ["-db", "-f", file], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${fs.readFileSync(path.join(dir, "haproxy.log"), "utf8")}`);
    const ok = await fetch(`${url}/login`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() - started > 15_000) throw new Error("haproxy did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}
