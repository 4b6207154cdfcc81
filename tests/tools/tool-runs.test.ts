// generate_image against the real simulator's images endpoint, and python through the registry
// (the path the loop takes), including the model-facing text and the artifacts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { resetEnvForTests } from "@/lib/env";
import { resetCatalogForTests } from "@/lib/models/catalog";
import { closePythonPoolForTests } from "@/lib/tools/python";
import { probeIsolation } from "@/lib/tools/python/isolation";
import { runToolCall } from "@/lib/tools/registry";

let sim: InferenceServer;
const ctx = () => ({ userId: "u1", signal: new AbortController().signal });

beforeAll(async () => {
  sim = await startInferenceServer({ port: 0 });
  process.env.INFERENCE_URL = sim.url;
  process.env.INFERENCE_LOCAL = "1";
  process.env.PYTHON_POOL_SIZE = "1";
  resetEnvForTests();
  resetCatalogForTests();
});
afterAll(async () => {
  closePythonPoolForTests();
  for (const k of ["INFERENCE_URL", "INFERENCE_LOCAL", "PYTHON_POOL_SIZE", "PYTHON_SANDBOX"]) delete process.env[k];
  resetEnvForTests();
  resetCatalogForTests();
  await sim.close();
});

describe("generate_image", () => {
  it("returns the simulator's PNG as an artifact and a display entry", async () => {
    const r = await runToolCall("generate_image", '{"prompt":"a red fox in the snow","size":"256x256"}', ctx());
    expect(r.isError).toBeUndefined();
    const [art] = r.artifacts!;
    expect(art.mime).toBe("image/png");
    expect(art.name).toMatch(/^image-[0-9a-f]{10}\.png$/);
    expect(Buffer.from(art.bytes).subarray(1, 4).toString()).toBe("PNG");
    expect(r.display).toEqual({ kind: "generate_image", prompt: "a red fox in the snow", images: [{ name: art.name, mime: "image/png", size: art.bytes.byteLength }] });
    expect(r.content).toMatch(/Generated one image/);
  });
});

describe.runIf(probeIsolation().ok)("python through the registry", () => {
  it("runs code and hands back output and files, names sanitised", async () => {
    const code = 'print("sum", sum(range(10)))\nopen(".hidden report!.txt","w").write("r")';
    const r = await runToolCall("python", JSON.stringify({ code }), ctx());
    expect(r.content).toContain("stdout:\nsum 45");
    expect(r.content).toContain("Files written (offered to the user for download): hidden_report_.txt");
    expect(r.artifacts).toMatchObject([{ name: "hidden_report_.txt", mime: "text/plain" }]);
    expect(r.display).toMatchObject({ kind: "python", code, stdout: "sum 45\n", status: "ok", files: [{ name: "hidden_report_.txt", size: 1 }] });
  }, 60_000);

  it("is off, with the reason, when the operator turns it off", async () => {
    process.env.PYTHON_SANDBOX = "off";
    resetEnvForTests();
    const r = await runToolCall("python", '{"code":"print(1)"}', ctx());
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/not available: the code interpreter is turned off/) });
  });
});
