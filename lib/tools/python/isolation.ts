// What this host offers to isolate a code-interpreter process, probed once. Fail closed: without a
// network namespace and Node's permission model there is no code interpreter (never a weaker one).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export type Isolation =
  | { ok: true; /** argv before `node …`: enters a fresh network namespace. */ prefix: string[]; via: string; permissionFlag: string }
  | { ok: false; reason: string };

let cached: Isolation | undefined;

/** The child gets an empty environment (no PATH), so wrappers are named by absolute path. */
const EMPTY_ENV = {} as NodeJS.ProcessEnv;

function which(cmd: string): string | null {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"]) {
    const full = `${dir}/${cmd}`;
    if (fs.existsSync(full)) return full;
  }
  return null;
}

function works(cmd: string, args: string[]): boolean {
  try {
    const r = spawnSync(cmd, [...args, process.execPath, "-e", "0"], { stdio: "ignore", timeout: 5_000, env: EMPTY_ENV });
    return r.status === 0;
  } catch {
    return false;
  }
}

/** Node 22.13+/23.5+ call it --permission; Node 20 only knows --experimental-permission. */
function permissionFlag(): string | null {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has("--permission")) return "--permission";
  if (flags.has("--experimental-permission")) return "--experimental-permission";
  return null;
}

export function probeIsolation(): Isolation {
  if (cached) return cached;
  cached = probe();
  return cached;
}

function probe(): Isolation {
  if (process.platform !== "linux") return { ok: false, reason: "the code interpreter's sandbox needs Linux network namespaces" };
  const flag = permissionFlag();
  if (!flag) return { ok: false, reason: "this Node.js has no permission model (--permission)" };
  if (!fs.existsSync("/proc/self/status")) return { ok: false, reason: "no /proc to watch the interpreter's memory" };
  const candidates: { via: string; cmd: string; args: string[] }[] = [
    { via: "unshare -n", cmd: "unshare", args: ["-n", "--"] },
    // Unprivileged hosts: a user namespace maps us to root inside it, which may then make the netns.
    { via: "unshare -rn", cmd: "unshare", args: ["-r", "-n", "--"] },
    { via: "bwrap", cmd: "bwrap", args: ["--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"] },
  ];
  for (const c of candidates) {
    const cmd = which(c.cmd);
    if (cmd && works(cmd, c.args)) return { ok: true, prefix: [cmd, ...c.args], via: c.via, permissionFlag: flag };
  }
  return {
    ok: false,
    reason: "this host cannot give the code interpreter its own network namespace (neither unshare -n nor bubblewrap works here)",
  };
}

export function resetIsolationForTests(): void {
  cached = undefined;
}
