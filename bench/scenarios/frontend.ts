// Scenario 7 (the UI figures): the chat page's first-load JavaScript, gzipped, read from the
// production build's manifests; and the time from `npm start` on a built checkout to a served
// sign-in page.
//
// First load of a route = the framework's root main files (build-manifest.json rootMainFiles) plus
// every entry chunk the route's client-reference manifest lists for its layouts, page and boundaries
// (entryJSFiles). Polyfills are excluded (nomodule: modern browsers skip them), as Next's own
// "First Load JS" column did. Each file is gzipped at level 9, as a CDN would serve it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import vm from "node:vm";
import { freePort } from "../../scripts/free-port";
import { root, tempDir, waitFor } from "../stack";

export const FIRST_LOAD_TARGET_KB = 250;
export const STARTUP_TARGET_MS = 2_000;
const CHAT_ROUTES = ["/(chat)/page", "/(chat)/chat/[id]/page"];

export interface RouteJs {
  route: string;
  files: number;
  rawKb: number;
  gzipKb: number;
}

function entryFiles(manifestFile: string, route: string): string[] {
  const sandbox = { globalThis: {} as Record<string, unknown>, self: {} };
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(manifestFile, "utf8"), sandbox);
  const rsc = (sandbox as unknown as { __RSC_MANIFEST: Record<string, { entryJSFiles?: Record<string, string[]> }> }).__RSC_MANIFEST;
  const entry = rsc[route]?.entryJSFiles ?? {};
  return Object.values(entry).flat();
}

export function firstLoadJs(): RouteJs[] {
  const next = path.join(root, ".next");
  const build = JSON.parse(fs.readFileSync(path.join(next, "build-manifest.json"), "utf8")) as { rootMainFiles?: string[] };
  return CHAT_ROUTES.map((route) => {
    const manifest = path.join(next, "server", "app", `${route}_client-reference-manifest.js`);
    const files = new Set([...(build.rootMainFiles ?? []), ...entryFiles(manifest, route)].filter((f) => f.endsWith(".js")));
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const buf = fs.readFileSync(path.join(next, f));
      raw += buf.length;
      gz += zlib.gzipSync(buf, { level: 9 }).length;
    }
    return { route, files: files.size, rawKb: raw / 1024, gzipKb: gz / 1024 };
  });
}

/** SIGTERM to the process group we created (npm, its tsx, the simulator, next start), SIGKILL if it lingers. */
async function stopGroup(pgid: number, child: ReturnType<typeof spawn>): Promise<void> {
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));
  signal("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  for (let i = 0; i < 50 && signal(0); i++) await new Promise((r) => setTimeout(r, 100));
  signal("SIGKILL");
}

/**
 * `npm start` on a built checkout (it also starts the local simulator and checks the build is
 * fresh) until GET /login answers 200 with HTML; a fresh data folder, so first-start work counts.
 */
export async function npmStartToLogin(): Promise<number> {
  const port = await freePort();
  const dir = tempDir();
  const t0 = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true, // its own process group, so the simulator and next start go with it
    stdio: "ignore",
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dir, INFERENCE_URL: "", DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1" },
  });
  try {
    await waitFor(
      "npm start",
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/login`, { redirect: "manual" });
        return res.status === 200 && (await res.text()).includes("<html");
      },
      60_000,
      10,
    );
    return performance.now() - t0;
  } finally {
    await stopGroup(child.pid!, child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
