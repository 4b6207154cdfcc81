// `npm start`: the product on embedded defaults. Starts the local vLLM-compatible simulator when
// INFERENCE_URL is unset, builds the app when the build is missing or older than the sources, then
// runs the app's server (scripts/server.ts: Next.js plus direct streaming of replies; `next dev` with
// --dev) on PORT (default 3000).
import { spawn } from "node:child_process";
import { startInferenceServer } from "../inference/server";
import { appServerArgs } from "./app-server-args";
import { buildIfStale, nextBin, root } from "./build-if-stale";

const dev = process.argv.includes("--dev");
const port = process.env.PORT || "3000";

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: port };
  let closeInference: (() => Promise<void>) | null = null;
  if (!process.env.INFERENCE_URL?.trim()) {
    const server = await startInferenceServer({ port: Number(process.env.INFERENCE_PORT) || 0 });
    closeInference = server.close;
    env.INFERENCE_URL = server.url;
    env.INFERENCE_LOCAL = "1";
    console.log(`[start] local inference simulator at ${server.url} (simulated models; set INFERENCE_URL for vLLM)`);
  }
  if (!dev) buildIfStale();
  const host = process.env.HOST || "0.0.0.0";
  const args = dev ? [nextBin, "dev", "-p", port, "-H", host] : appServerArgs(port, host);
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: dev ? env : { ...env, NODE_ENV: "production" },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (code) => {
    void (closeInference?.() ?? Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
