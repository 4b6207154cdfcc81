// A fetched page reduced to readable Markdown: Readability on a linkedom DOM (no browser engine
// in the server), links and images made absolute against the final URL, then turndown — in a worker
// thread (readable-worker.mjs), never on the event loop that relays every user's replies: a 16 KB
// page of nested <div>s kept Readability busy for 100 s. The HTML is capped before parsing, the
// worker has a heap limit and a time budget, and a page it cannot read in time is reduced to its text
// by a linear tag strip here instead.
import path from "node:path";
import { Worker } from "node:worker_threads";

export interface ReadablePage {
  title: string;
  markdown: string;
}

/** Characters of HTML parsed (pages are fetched up to 2 MiB; an article's text is far shorter). */
export const MAX_HTML_CHARS = 512 * 1024;
export const READ_TIMEOUT_MS = 5_000;
const WORKERS = 2;
const HEAP_MB = 256;
/** An idle worker (linkedom, Readability, turndown loaded) goes after this long without work. */
const IDLE_MS = 60_000;

// Plain JavaScript read from the source tree (not bundled), found from the project root, as lib/files/extract.ts does.
const WORKER_FILE = path.join(process.cwd(), "lib/tools/web/readable-worker.mjs");

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer: NodeJS.Timeout | null;
}
interface Pool {
  slots: Slot[];
  queue: (() => void)[];
  seq: number;
}
const g = globalThis as typeof globalThis & { __chatgateReadablePool?: Pool };
const pool: Pool = (g.__chatgateReadablePool ??= { slots: [], queue: [], seq: 0 });

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
      // execArgv: [] — not the parent's loader flags (the app server runs under `--import tsx/esm`).
      const worker = new Worker(WORKER_FILE, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 } });
      worker.unref();
      const slot = { worker, busy: true, idleTimer: null };
      pool.slots.push(slot);
      return slot;
    }
    await new Promise<void>((resolve) => pool.queue.push(resolve));
  }
}

function release(slot: Slot, broken: boolean): void {
  if (broken) {
    pool.slots = pool.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
  } else {
    slot.busy = false;
    slot.idleTimer = setTimeout(() => {
      if (slot.busy) return;
      pool.slots = pool.slots.filter((s) => s !== slot);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
  }
  pool.queue.shift()?.();
}

function inWorker(html: string, url: string, timeoutMs: number): Promise<ReadablePage> {
  return acquire().then((slot) => {
    const id = ++pool.seq;
    let broken = false;
    return new Promise<ReadablePage>((resolve, reject) => {
      const timer = setTimeout(() => {
        broken = true;
        cleanup();
        reject(new Error("reading the page took too long"));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        slot.worker.off("message", onMessage);
        slot.worker.off("error", onError);
        slot.worker.off("exit", onExit);
      };
      const onMessage = (msg: { id: number; page?: ReadablePage; error?: string }) => {
        if (msg.id !== id) return;
        cleanup();
        if (msg.page) resolve(msg.page);
        else reject(new Error(msg.error ?? "unreadable"));
      };
      const onError = (err: Error) => {
        broken = true; // ERR_WORKER_OUT_OF_MEMORY past the heap limit
        cleanup();
        reject(err);
      };
      const onExit = () => onError(new Error("worker exited"));
      slot.worker.on("message", onMessage);
      slot.worker.on("error", onError);
      slot.worker.on("exit", onExit);
      slot.worker.postMessage({ id, html, url });
    }).finally(() => release(slot, broken));
  });
}

const BLOCK_TAGS = new Set(["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "pre", "blockquote", "table"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The text of an HTML document in one pass (indexOf scans, no backtracking patterns): tags dropped,
 * script/style/noscript/template bodies dropped, the common entities decoded, blank lines folded.
 */
export function stripTags(html: string): { title: string; text: string } {
  const lower = html.toLowerCase();
  let out = "";
  let title = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const gt = html.indexOf(">", lt + 1);
    if (gt < 0) break;
    const name = /^<\s*([a-z0-9]+)/.exec(lower.slice(lt, Math.min(gt + 1, lt + 20)))?.[1] ?? "";
    i = gt + 1;
    if (name === "script" || name === "style" || name === "noscript" || name === "template" || name === "title") {
      const close = lower.indexOf(`</${name}`, i);
      const end = close < 0 ? html.length : close;
      if (name === "title" && !title) title = html.slice(i, end).trim();
      const after = close < 0 ? -1 : html.indexOf(">", close);
      i = after < 0 ? html.length : after + 1;
    } else if (BLOCK_TAGS.has(name)) out += "\n";
    else if (name === "td" || name === "th") out += " ";
  }
  const text = out
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] !== "#") return ENTITIES[e.toLowerCase()] ?? m;
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    })
    .split("\n")
    .map((line) => line.replace(/[ \t\r\f\v]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
  return { title, text };
}

export async function readableFromHtml(html: string, url: string, timeoutMs = READ_TIMEOUT_MS): Promise<ReadablePage> {
  const capped = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  try {
    return await inWorker(capped, url, timeoutMs);
  } catch (err) {
    console.warn("[tools] readable page in worker failed; using its plain text:", err instanceof Error ? err.message : "error");
    const { title, text } = stripTags(capped);
    return { title: title || url, markdown: text };
  }
}
