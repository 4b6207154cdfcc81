// Server start-up work and periodic jobs: migrations (inside getDb), usage partitions ahead, the
// sweep that marks replies left "streaming" by a crashed server as interrupted, idle guests' expiry
// and the sweep of uploads never sent (lib/files/sweep.ts).
import { dbDriver, getDb, startMaintenance } from "@/db";
import { sweepInterruptedMessages } from "@/db/queries/messages";
import { startGuestExpiry } from "@/lib/auth/guest-expiry";
import { env } from "@/lib/env";
import { startUnsentUploadSweep } from "@/lib/files/sweep";
import { startObservabilityJobs } from "@/lib/metrics/jobs";
import { log } from "@/lib/log/logger";
import { processPeek, processSet } from "@/lib/process-registry";

const SWEEP_EVERY_MS = 30_000;
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    backgroundJobs: boolean;
  }
}

export async function startBackgroundJobs(): Promise<void> {
  if (processPeek("backgroundJobs")) return;
  processSet("backgroundJobs", true);
  await getDb();
  startMaintenance();
  startObservabilityJobs();
  // Embedded PGlite has exactly one server process, so at boot nothing can still be streaming:
  // every unfinished reply belongs to a previous run. With PostgreSQL other instances may be
  // streaming, so only replies without a checkpoint for STREAM_SWEEP_AFTER_MS are swept.
  if (dbDriver() === "pglite") await sweep(new Date());
  const timer = setInterval(() => void sweep(new Date(Date.now() - env().STREAM_SWEEP_AFTER_MS)), SWEEP_EVERY_MS);
  timer.unref();
  startGuestExpiry();
  startUnsentUploadSweep();
}

async function sweep(staleBefore: Date): Promise<void> {
  try {
    const n = await sweepInterruptedMessages({ staleBefore });
    if (n > 0) log().info({ interrupted: n }, "sweep: unfinished replies marked interrupted");
  } catch (err) {
    log().error({ err }, "sweep failed");
  }
}
