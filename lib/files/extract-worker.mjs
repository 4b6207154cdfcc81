// Runs in a worker thread (extract.ts): PDF text page by page (pdf.js, legacy build for Node 20) and
// whole-file UTF-8/16 validation of text files, with token counts per encoding. Plain JavaScript so
// Node can start it as is, inside or outside the Next.js bundle. A hostile PDF can only exhaust
// this thread's heap limit or its time budget; the main thread terminates it and answers 400.
import { readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { loadBoundedCounter } from "../tokens/bounded-count.mjs";

// Below the streams in the scheduler (nice 5: about a third of a normal thread's share when they compete,
// without starving on a busy machine): on Linux a thread has its own nice value, and this thread's
// id is the last part of /proc/thread-self. Elsewhere the worker runs at normal priority.
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (tid > 0) os.setPriority(tid, 5);
} catch {
  // not Linux, or not allowed
}

// The app's linear counter (a run of one letter made the library's own count quadratic: 150 KB held a
// worker for its whole time budget).
const counters = new Map();
function counter(encoding) {
  let c = counters.get(encoding);
  if (!c) counters.set(encoding, (c = loadBoundedCounter(encoding)));
  return c;
}

async function countAll(text, encodings) {
  const out = {};
  for (const e of encodings) out[e] = text ? (await counter(e)).count(text) : 0;
  return out;
}

let pdfjs;
async function pdfText(data, maxPages) {
  pdfjs ??= await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  }).promise;
  try {
    if (doc.numPages > maxPages) return { error: "too_many_pages", pages: doc.numPages };
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
        else if (item.str && !item.str.endsWith(" ")) text += " ";
      }
      pages.push(text.replace(/[ \t]+\n/g, "\n").trim());
      page.cleanup();
    }
    return { pages };
  } finally {
    await doc.destroy();
  }
}

function decodeText(bytes, encoding) {
  let start = 0;
  if (encoding === "utf-8" && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  if (encoding !== "utf-8" && bytes.length >= 2 && (bytes[0] === 0xff || bytes[0] === 0xfe)) start = 2;
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(start));
    return text.includes("\u0000") ? null : text;
  } catch {
    return null;
  }
}

parentPort.on("message", async (task) => {
  if (task.kind === "warm") {
    // Load the parser and the tokenizers before the first upload needs them.
    pdfjs ??= await import("pdfjs-dist/legacy/build/pdf.mjs");
    for (const e of task.encodings) await counter(e);
    return parentPort.postMessage({ id: task.id, pageTexts: [], tokens: {} });
  }
  try {
    const bytes = new Uint8Array(await readFile(task.path));
    if (task.kind === "pdf") {
      const r = await pdfText(bytes, task.maxPages);
      if (r.error) return parentPort.postMessage({ id: task.id, error: r.error, pages: r.pages });
      const tokens = await countAll(r.pages.join("\n\n"), task.encodings);
      return parentPort.postMessage({ id: task.id, pageTexts: r.pages, pages: r.pages.length, tokens });
    }
    const text = decodeText(bytes, task.textEncoding ?? "utf-8");
    if (text === null) return parentPort.postMessage({ id: task.id, error: "not_text" });
    const lines = text.length === 0 ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    const tokens = await countAll(text, task.encodings);
    parentPort.postMessage({ id: task.id, pageTexts: [text], lines, tokens });
  } catch (err) {
    parentPort.postMessage({ id: task.id, error: "unreadable", detail: String(err?.message ?? err).slice(0, 200) });
  }
});
