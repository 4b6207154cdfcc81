// Scenario 12 (--only=files): uploads while streams run. A 100-page PDF (upload + text extraction in
// the worker: target ≤ 1 s, ≤ 150 MB extra RSS) and a 12-megapixel photo (upload + decode, rotate,
// resize, re-encode: target ≤ 300 ms) and 150 KB of one letter (review finding 4: its token count
// held a worker for the whole 20 s budget; target ≤ 1 s), each uploaded while 100 gateway streams run,
// and those streams' delivered tokens/s against the same load without uploads (target ≥ 0.98). Each
// upload has new bytes (the same bytes would be deduplicated and not processed again).
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";
import { type ExpectedReply, runLevel, type Target } from "../loadgen";
import { type Stack, waitIdle } from "../measure";
import { RssWatcher, sampleTree } from "../proc";
import { median } from "../stats";

export const FILES_TARGETS = { pdfMs: 1_000, pdfExtraRssMb: 150, photoMs: 300, textMs: 1_000, tokenRatio: 0.98 };
const STREAMS = 100;

export interface FilesCase {
  name: string;
  bytes: number;
  uploads: number;
  /** Upload + processing, as the client waits for the 201. */
  msP50: number;
  msMax: number;
  /** The first upload of its kind (worker start, libraries loaded): not in the p50. */
  coldMs: number;
  extraRssMb: number;
  /** Delivered tokens/s with uploads ÷ without, over the hold window of the same load. */
  tokenRatio: number;
}

export interface FilesResult {
  streams: number;
  cases: FilesCase[];
}

async function pdf100(nonce: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= 100; p++) {
    const page = doc.addPage([612, 792]);
    for (let l = 0; l < 45; l++) {
      page.drawText(`Run ${nonce}, page ${p}, line ${l + 1}: the quarterly figures moved as the committee expected.`, { x: 40, y: 760 - l * 16, size: 10, font });
    }
  }
  return Buffer.from(await doc.save());
}

/** A 4000 × 3000 JPEG (12 MP) with a smooth gradient, a few MB like a phone photo. */
async function photo12mp(nonce: number): Promise<Buffer> {
  const w = 4000;
  const h = 3000;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 255) / w;
      raw[i + 1] = (y * 255) / h;
      raw[i + 2] = (nonce * 37 + ((x ^ y) & 63)) & 0xff;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 88 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** 150 KB of one letter (a different letter per upload, so nothing is deduplicated). */
async function oneLetter(nonce: number): Promise<Buffer> {
  return Buffer.from(String.fromCharCode(97 + (nonce % 26)).repeat(150_000));
}

async function upload(stack: Stack, name: string, type: string, data: Buffer): Promise<number> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)], { type }), name);
  const t0 = performance.now();
  const res = await fetch(`${stack.app.url}/api/files`, { method: "POST", headers: { cookie: stack.cookie, "x-chatgate-upload": "1" }, body: form });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`upload of ${name} failed: HTTP ${res.status} ${body.slice(0, 200)}`);
  return ms;
}

async function load(stack: Stack, target: Target, expected: ExpectedReply, during?: () => Promise<void>) {
  const rampMs = 1_500;
  const running = runLevel({ target, concurrency: STREAMS, rampMs, holdMs: 6_000, streamTimeoutMs: 120_000, expected });
  let work: Promise<void> = Promise.resolve();
  if (during) work = new Promise((r) => setTimeout(r, rampMs + 500)).then(during);
  const [run] = await Promise.all([running, work]);
  await waitIdle(stack);
  return run;
}

async function runCase(
  stack: Stack,
  target: Target,
  expected: ExpectedReply,
  c: { name: string; type: string; make: (n: number) => Promise<Buffer>; uploads: number },
  log: (s: string) => void,
): Promise<FilesCase> {
  const files = await Promise.all(Array.from({ length: c.uploads + 1 }, (_, i) => c.make(i + 1)));
  const coldMs = await upload(stack, `cold-${c.name}`, c.type, files[0]);
  await waitIdle(stack);
  const without = await load(stack, target, expected);
  const times: number[] = [];
  const watcher = new RssWatcher(stack.app.pid, 20);
  let extraKb = 0;
  const withUploads = await load(stack, target, expected, async () => {
    for (const f of files.slice(1)) {
      const before = sampleTree(stack.app.pid).rssKb;
      const t = performance.now();
      watcher.start();
      times.push(await upload(stack, c.name, c.type, f));
      watcher.stop();
      extraKb = Math.max(extraKb, watcher.peakBetween(t, performance.now()) - before);
    }
  });
  const result: FilesCase = {
    name: c.name,
    bytes: files[1].length,
    uploads: times.length,
    msP50: median(times),
    msMax: Math.max(...times),
    coldMs,
    extraRssMb: extraKb / 1024,
    tokenRatio: withUploads.tokensPerS / without.tokensPerS,
  };
  log(
    `  ${c.name} (${(result.bytes / 1024 / 1024).toFixed(1)} MB): upload + processing p50 ${result.msP50.toFixed(0)} ms, max ${result.msMax.toFixed(0)} ms ` +
      `(cold ${coldMs.toFixed(0)} ms), extra RSS ${result.extraRssMb.toFixed(0)} MB; ${STREAMS} streams' tokens/s with ÷ without uploads ${result.tokenRatio.toFixed(3)} ` +
      `(${withUploads.tokensPerS.toFixed(0)} vs ${without.tokensPerS.toFixed(0)}; errors ${withUploads.errors}/${without.errors})`,
  );
  return result;
}

export async function filesBench(stack: Stack, target: Target, expected: ExpectedReply, quick: boolean, log: (s: string) => void): Promise<FilesResult> {
  const uploads = quick ? 2 : 3;
  const cases = [
    await runCase(stack, target, expected, { name: "report-100-pages.pdf", type: "application/pdf", make: pdf100, uploads }, log),
    await runCase(stack, target, expected, { name: "photo-12mp.jpg", type: "image/jpeg", make: photo12mp, uploads }, log),
    await runCase(stack, target, expected, { name: "one-letter-150kb.txt", type: "text/plain", make: oneLetter, uploads }, log),
  ];
  return { streams: STREAMS, cases };
}

export function filesNotes(r: FilesResult): string[] {
  const t = FILES_TARGETS;
  return r.cases.map((c) => {
    const isPdf = c.name.endsWith(".pdf");
    const ok = (v: boolean) => (v ? "✓" : "✗");
    const timeTarget = isPdf ? t.pdfMs : c.name.endsWith(".txt") ? t.textMs : t.photoMs;
    return (
      `Files (${r.streams} streams running): ${c.name}, ${(c.bytes / 1024 / 1024).toFixed(1)} MB — upload + processing p50 ${c.msP50.toFixed(0)} ms ` +
      `(target ≤ ${timeTarget} ${ok(c.msP50 <= timeTarget)}; max ${c.msMax.toFixed(0)}, cold ${c.coldMs.toFixed(0)} ms), extra RSS ${c.extraRssMb.toFixed(0)} MB` +
      `${isPdf ? ` (target ≤ ${t.pdfExtraRssMb} ${ok(c.extraRssMb <= t.pdfExtraRssMb)})` : ""}, delivered tokens/s ratio ${c.tokenRatio.toFixed(3)} (target ≥ ${t.tokenRatio} ${ok(c.tokenRatio >= t.tokenRatio)}).`
    );
  });
}
