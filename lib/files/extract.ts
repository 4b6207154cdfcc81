// Text extraction off the event loop: PDFs and text files are read in worker threads with a heap
// limit and a time budget; a worker past either is terminated (a hostile PDF cannot stall the
// streams this process relays) and replaced. At most WORKERS run at once; further uploads queue.
// Workers are kept between tasks so pdf.js and the tokenizer ranks load once per worker.
// Fair between users: each user's files are read one at a time (the rest wait in that user's own
// lane, at most MAX_WAITING_PER_USER, then 429), so the shared queue holds at most one task per user
// and one user sending file after file cannot keep both workers from everyone else.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import type { TextEncoding } from "./detect";

const WORKERS = 2;
export const EXTRACT_TIMEOUT_MS = 20_000;
const HEAP_MB = 384;
export const MAX_PDF_PAGES = 2_000;

export interface ExtractTask {
  path: string;
  kind: "pdf" | "text" | "warm";
  encodings: string[];
  textEncoding?: TextEncoding | null;
  /** The user whose file it is (one extraction per user at a time); absent for the warm-up. */
  owner?: string;
}

/** A user's extractions waiting behind the one that runs; one more is refused with 429. */
export const MAX_WAITING_PER_USER = 10;

export interface ExtractResult {
  pageTexts: string[];
  pages?: number;
  lines?: number;
  tokens: Record<string, number>;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer: NodeJS.Timeout | null;
}

/** An idle worker holds pdf.js and the tokenizers (~100 MB): it goes after this long without work. */
const IDLE_MS = 120_000;

// The worker is plain JavaScript read from the source tree (not bundled), found from the project root.
const WORKER_FILE = path.join(process.cwd(), "lib/files/extract-worker.mjs");
/** One user's extractions: one runs (or waits in the shared queue), the rest wait here in order. */
interface Lane {
  waiting: (() => void)[];
}

interface Pool {
  slots: Slot[];
  queue: (() => void)[];
  seq: number;
  lanes: Map<string, Lane>;
}
const g = globalThis as typeof globalThis & { __chatgateExtractPool?: Pool };
const pool: Pool = (g.__chatgateExtractPool ??= { slots: [], queue: [], seq: 0, lanes: new Map() });

function busy(): AppError {
  return new AppError(
    "rate_limit_error",
    "too_many_files_in_progress",
    `${MAX_WAITING_PER_USER + 1} of your files are already being read. Wait for them to finish, then try again.`,
    { status: 429 },
  );
}

/** Waits for the owner's turn; returns the function that hands it to their next file. */
async function enterLane(owner: string): Promise<() => void> {
  let lane = pool.lanes.get(owner);
  if (!lane) pool.lanes.set(owner, (lane = { waiting: [] }));
  else {
    if (lane.waiting.length >= MAX_WAITING_PER_USER) throw busy();
    await new Promise<void>((resolve) => lane!.waiting.push(resolve));
  }
  return () => {
    const next = lane.waiting.shift();
    if (next) next();
    else pool.lanes.delete(owner);
  };
}

/** Extractions running, queued for a worker, and waiting in users' lanes (tests and diagnostics). */
export function extractionLoad(): { running: number; queued: number; waitingInLanes: number } {
  let waitingInLanes = 0;
  for (const lane of pool.lanes.values()) waitingInLanes += lane.waiting.length;
  return { running: pool.slots.filter((s) => s.busy).length, queued: pool.queue.length, waitingInLanes };
}

function spawn(): Slot {
  // execArgv: [] — not the parent's loader flags (the app server runs under `--import tsx/esm`,
  // whose transform breaks pdf.js's module); the worker is plain JavaScript.
  const worker = new Worker(WORKER_FILE, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 } });
  worker.unref();
  return { worker, busy: false, idleTimer: null };
}

async function acquire(): Promise<Slot> {
  for (;;) {
    const idle = pool.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      if (idle.idleTimer) clearTimeout(idle.idleTimer);
      idle.idleTimer = null;
      return idle;
    }
    if (pool.slots.length < WORKERS) {
      const slot = spawn();
      pool.slots.push(slot);
      slot.busy = true;
      return slot;
    }
    await new Promise<void>((resolve) => pool.queue.push(resolve));
  }
}

function retire(slot: Slot): void {
  pool.slots = pool.slots.filter((s) => s !== slot);
  void slot.worker.terminate();
}

function release(slot: Slot, broken: boolean): void {
  if (broken) retire(slot);
  else {
    slot.busy = false;
    slot.idleTimer = setTimeout(() => !slot.busy && retire(slot), IDLE_MS);
    slot.idleTimer.unref();
  }
  pool.queue.shift()?.();
}

const failures: Record<string, (pages?: number) => AppError> = {
  too_many_pages: (pages) =>
    new AppError("invalid_request_error", "file_too_large", `This PDF has ${pages} pages; at most ${MAX_PDF_PAGES} can be read.`, { status: 413 }),
  not_text: () =>
    new AppError("invalid_request_error", "unsupported_file_type", "This file is not valid UTF-8 text (or it contains NUL bytes).", { status: 415 }),
  unreadable: () => new AppError("invalid_request_error", "unreadable_file", "This file could not be read; it may be damaged.", { status: 400 }),
  timeout: () => new AppError("invalid_request_error", "unreadable_file", "Reading this file took too long; it may be damaged or too complex.", { status: 400 }),
  crashed: () => new AppError("invalid_request_error", "unreadable_file", "Reading this file needed too much memory; it may be damaged or too complex.", { status: 400 }),
};

export async function extractInWorker(task: ExtractTask, timeoutMs = EXTRACT_TIMEOUT_MS): Promise<ExtractResult> {
  const { owner, ...work } = task;
  const leave = owner ? await enterLane(owner) : null;
  try {
    return await extractNow(work, timeoutMs);
  } finally {
    leave?.();
  }
}

async function extractNow(task: Omit<ExtractTask, "owner">, timeoutMs: number): Promise<ExtractResult> {
  const slot = await acquire();
  const id = ++pool.seq;
  let broken = false;
  try {
    return await new Promise<ExtractResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        broken = true;
        reject(failures.timeout());
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        slot.worker.off("message", onMessage);
        slot.worker.off("error", onError);
        slot.worker.off("exit", onExit);
      };
      const onMessage = (msg: { id: number; error?: string; pages?: number; detail?: string } & Partial<ExtractResult>) => {
        if (msg.id !== id) return;
        cleanup();
        // The library's own message (no file content), so a parser failure can be told from a bad file.
        if (msg.error === "unreadable") console.warn("[files] extraction failed:", msg.detail ?? "unknown");
        if (msg.error) reject((failures[msg.error] ?? failures.unreadable)(msg.pages));
        else resolve({ pageTexts: msg.pageTexts ?? [], pages: msg.pages, lines: msg.lines, tokens: msg.tokens ?? {} });
      };
      const onError = (err: Error) => {
        // ERR_WORKER_OUT_OF_MEMORY when the heap limit is hit.
        cleanup();
        broken = true;
        reject(Object.assign(failures.crashed(), { cause: err }));
      };
      const onExit = () => onError(new Error("worker exited"));
      slot.worker.on("message", onMessage);
      slot.worker.on("error", onError);
      slot.worker.on("exit", onExit);
      slot.worker.postMessage({ ...task, id, maxPages: MAX_PDF_PAGES });
    });
  } finally {
    release(slot, broken);
  }
}

/** Starts a worker and loads pdf.js and the tokenizers in it (the composer asks for the limits first). */
export function prewarmExtraction(encodings: string[]): void {
  if (pool.slots.length > 0) return;
  extractInWorker({ path: "", kind: "warm", encodings }).catch(() => undefined);
}
