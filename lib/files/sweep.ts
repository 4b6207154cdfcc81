// Uploads never sent: a file uploaded (the composer's chip, an API upload, a part of a refused API
// message) but never attached to a sent message would otherwise stay forever, row and object, and
// count against its owner's storage. Every instance sweeps every SWEEP_EVERY_MS the rows without a
// message older than FILES_UNSENT_HOURS (0 = never), in batches, so a backlog never holds one long
// transaction; instances sweeping at once skip each other's rows.
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { deleteUnsentFiles } from "./remove";

const SWEEP_EVERY_MS = 10 * 60_000;
const BATCH = 200;

/** One pass: deletes unsent uploads older than the configured age. Returns how many rows went. */
export async function sweepUnsentUploads(now = Date.now()): Promise<number> {
  const hours = env().FILES_UNSENT_HOURS;
  if (hours === 0) return 0;
  const before = new Date(now - hours * 60 * 60_000);
  let total = 0;
  for (;;) {
    const n = await deleteUnsentFiles({ before, limit: BATCH });
    total += n;
    if (n < BATCH) return total;
  }
}

export function startUnsentUploadSweep(): void {
  if (env().FILES_UNSENT_HOURS === 0) return;
  const run = () =>
    sweepUnsentUploads().then(
      (n) => n > 0 && log().info({ files: n }, "sweep: unsent uploads deleted"),
      (err: unknown) => log().error({ err }, "unsent upload sweep failed"),
    );
  setTimeout(run, 60_000).unref();
  setInterval(run, SWEEP_EVERY_MS).unref();
}
