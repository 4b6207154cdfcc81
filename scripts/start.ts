// `npm start`: the product on embedded defaults. Starts the local vLLM-compatible simulator when
// INFERENCE_URL is unset, builds the app when the build is missing or older than the sources, then
// runs the app's server (scripts/server.ts: Next.js plus direct streaming of replies; `next dev` with
// --dev) on PORT (default 3000).
import { spawn } from "node:child_process";
import { appServerArgs } from "./app-server-args";
import { buildIfStale, nextBin, root } from "./build-if-stale";
import { freePort } from "./free-port";

const dev = process.argv.includes("--dev");
const port = process.env.PORT || "3000";

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: port };
  let closeInference: (() => Promise<void>) | null = null;
  // The app starts first and the simulator beside it (the app calls it only when a chat starts), so
  // the simulator's start-up is not on the way to the first page.
  const localInferencePort = process.env.INFERENCE_URL?.trim() ? null : Number(process.env.INFERENCE_PORT) || (await freePort());
  if (localInferencePort !== null) {
    env.INFERENCE_URL = `http://127.0.0.1:${localInferencePort}`;
    env.INFERENCE_LOCAL = "1";
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
  if (localInferencePort !== null) {
    try {
      const { startInferenceServer } = await import("../inference/server");
      const server = await startInferenceServer({ port: localInferencePort });
      closeInference = server.close;
      console.log(`[start] local inference simulator at ${server.url} (simulated models; set INFERENCE_URL for vLLM)`);
    } catch (err) {
      child.kill("SIGTERM");
      throw err;
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
