// `npm run test:e2e`: build the app if needed, then run Playwright (which starts the stack).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIfStale, root } from "./build-if-stale";

buildIfStale();
const res = spawnSync(process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
process.exit(res.status ?? 1);
