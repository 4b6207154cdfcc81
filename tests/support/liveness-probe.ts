// Polls a URL from a worker thread, so a test can tell whether the server's event loop kept answering
// while it did something hostile. The test's own client shares the event loop with an in-process
// server (tests/support/route-server.ts): a blocked loop also stops the client, which then measures
// nothing. The worker has a loop of its own, so a request it sent before the block waits the block out.
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
let stopping = false;
let slowestMs = 0;
let polls = 0;
parentPort.on("message", () => (stopping = true));
(async () => {
  while (!stopping || polls === 0) {
    const t0 = performance.now();
    try {
      const res = await fetch(workerData.url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error("status " + res.status);
    } catch (err) {
      parentPort.postMessage({ error: String(err) });
      return;
    }
    slowestMs = Math.max(slowestMs, performance.now() - t0);
    polls++;
    await new Promise((r) => setTimeout(r, workerData.intervalMs));
  }
  parentPort.postMessage({ slowestMs, polls });
})();
`;

export interface Liveness {
  slowestMs: number;
  polls: number;
}

export function startLivenessProbe(url: string, intervalMs = 20): { stop(): Promise<Liveness> } {
  const worker = new Worker(WORKER, { eval: true, workerData: { url, intervalMs } });
  const result = new Promise<Liveness>((resolve, reject) => {
    worker.once("message", (m: Liveness & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    worker.once("error", reject);
  }).finally(() => void worker.terminate());
  return {
    stop() {
      worker.postMessage("stop");
      return result;
    },
  };
}

/** Runs `work` while `url` is polled from another thread; the slowest answer seen meanwhile. */
export async function livenessDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T } & Liveness> {
  const probe = startLivenessProbe(url);
  try {
    const result = await work();
    return { result, ...(await probe.stop()) };
  } catch (err) {
    await probe.stop().catch(() => undefined);
    throw err;
  }
}
