// Entry point of `npm run inference`: the simulator on its own, like `vllm serve`.
// This standalone process reads its own few variables here (it imports nothing from lib/, so it does
// not use lib/env.ts):
//   INFERENCE_PORT        port (default 8000, as vLLM)
//   INFERENCE_HOST        bind address (default 127.0.0.1)
//   SIM_CONFIG            path of a JSON file with SimConfig overrides (see inference/config.ts)
//   SIM_FAULT_DIRECTIVES  1 = honour [[sim:…]] directives in the last user message
//   SIM_FAULTS            faults applied to every request, e.g. "slow_first_token_ms=200"
import { loadSimConfigFile, type SimConfigInput } from "./config";
import { startInferenceServer } from "./server";

const env = (name: string): string | undefined => process.env[name] || undefined;

async function main(): Promise<void> {
  const file = env("SIM_CONFIG");
  const config: SimConfigInput = file ? loadSimConfigFile(file) : {};
  const directives = env("SIM_FAULT_DIRECTIVES");
  if (directives !== undefined) config.faultDirectives = directives === "1" || directives === "true";
  const faults = env("SIM_FAULTS");
  if (faults !== undefined) config.faults = faults;

  const port = Number(env("INFERENCE_PORT") ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`INFERENCE_PORT must be a port number`);
  const server = await startInferenceServer({ port, host: env("INFERENCE_HOST") ?? "127.0.0.1", config });
  const names = server.engine.config.models.map((m) => `${m.name} (${m.mode})`).join(", ");
  console.log(`vllm-sim listening on ${server.url} — models: ${names}`);

  const stop = (signal: string) => {
    console.log(`vllm-sim: ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`vllm-sim failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
