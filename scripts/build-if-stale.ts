// Builds the Next.js app when there is no build or the sources are newer than it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const SOURCE_DIRS = ["app", "components", "lib", "db", "public"];
const SOURCE_FILES = ["next.config.ts", "proxy.ts", "package.json", "package-lock.json", "instrumentation.ts", "postcss.config.mjs"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIsStale(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const dirs = SOURCE_DIRS.map((d) => path.join(root, d)).filter(fs.existsSync);
  const files = SOURCE_FILES.map((f) => path.join(root, f)).filter(fs.existsSync);
  const newest = Math.max(0, ...dirs.map(newestMtime), ...files.map((f) => fs.statSync(f).mtimeMs));
  return newest > built;
}

export function buildIfStale(): void {
  if (!buildIsStale()) return;
  console.log("[build] building the app (no build yet, or sources changed)…");
  const res = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
