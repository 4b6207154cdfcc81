// Config resolution, and the standalone entry point reading SIM_CONFIG / SIM_FAULT_DIRECTIVES.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODELS, MODEL_DEFAULTS, resolveSimConfig } from "./config";
import { postChat, user } from "./test-helpers";

describe("resolveSimConfig", () => {
  it("defaults to the four sim models and vLLM-like limits", () => {
    const config = resolveSimConfig();
    expect(config).toMatchObject({ maxNumSeqs: 256, kvCacheTokens: 2_000_000, faultDirectives: false, faults: "" });
    expect(config.models).toEqual(DEFAULT_MODELS);
    expect(config.models.find((m) => m.name === "sim-echo")!.mode).toBe("echo");
  });

  it("fills model entries from defaults; a models list replaces the default one", () => {
    const config = resolveSimConfig({ maxNumSeqs: 8, models: [{ name: "x", decodeTokensPerS: 999 }] });
    expect(config.maxNumSeqs).toBe(8);
    expect(config.models).toEqual([{ ...MODEL_DEFAULTS, name: "x", decodeTokensPerS: 999 }]);
  });

  it("rejects invalid values, duplicate models and bad fault specs", () => {
    expect(() => resolveSimConfig({ maxNumSeqs: 0 })).toThrow(/maxNumSeqs/);
    expect(() => resolveSimConfig({ models: [{ name: "a" }, { name: "a" }] })).toThrow(/duplicate/);
    expect(() => resolveSimConfig({ faults: "boom=1" })).toThrow(/fault spec/);
  });
});

describe("npm run inference (inference/main.ts)", () => {
  it("serves the SIM_CONFIG models and honours SIM_FAULT_DIRECTIVES", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-config-"));
    const file = path.join(dir, "sim.json");
    fs.writeFileSync(file, JSON.stringify({ models: [{ name: "from-file", mode: "echo", baseTtftMs: 1 }] }));
    const child = spawn(process.execPath, ["--import", "tsx", "inference/main.ts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, INFERENCE_PORT: "0", SIM_CONFIG: file, SIM_FAULT_DIRECTIVES: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const models = await (await fetch(`${url}/v1/models`)).json();
      expect(models.data.map((m: { id: string }) => m.id)).toEqual(["from-file"]);
      const res = await postChat(url, { model: "from-file", messages: [user("[[sim:status=418]]")] });
      expect(res.status).toBe(418);
    } finally {
      child.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
