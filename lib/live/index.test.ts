// liveStore(): one store per process, Redis only when REDIS_URL is set and LIVE_STORE is not "memory".
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { liveStore, resetLiveStoreForTests } from "./index";

const saved = { REDIS_URL: process.env.REDIS_URL, LIVE_STORE: process.env.LIVE_STORE };

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}

afterEach(async () => {
  await resetLiveStoreForTests();
  setEnv(saved);
});

describe("liveStore()", () => {
  it("is in process without REDIS_URL, and the same object on every call", async () => {
    setEnv({ REDIS_URL: undefined, LIVE_STORE: undefined });
    expect(liveStore().kind).toBe("memory");
    expect(liveStore()).toBe(liveStore());
  });

  it("stays in process with LIVE_STORE=memory even when REDIS_URL is set", () => {
    setEnv({ REDIS_URL: "redis://127.0.0.1:1", LIVE_STORE: "memory" });
    expect(liveStore().kind).toBe("memory");
  });

  it.skipIf(!saved.REDIS_URL)("uses Redis when REDIS_URL is set; a reset gives a new store", async () => {
    setEnv({ REDIS_URL: saved.REDIS_URL, LIVE_STORE: "" });
    const first = liveStore();
    expect(first.kind).toBe("redis");
    await resetLiveStoreForTests();
    expect(liveStore()).not.toBe(first);
  });
});
