// The in-process live store through the shared contract (one instance: writer and reader are one).
import { afterAll, describe } from "vitest";
import { liveStoreContract } from "./contract-suite";
import { createMemoryLiveStore } from "./memory-store";

const store = createMemoryLiveStore<{ t: string }>();
afterAll(() => store.close());

describe("in-process live store", () => {
  liveStoreContract(async () => ({ writer: store, reader: store }));
});
