// Images re-encoded with sharp (orientation, metadata, first frame, pixel flood) and text extraction
// in the worker (PDF pages, UTF-8 validation, the time bound).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { extractInWorker } from "@/lib/files/extract";
import { normalizeImage } from "@/lib/files/image";
import { imageTokens } from "@/lib/files/image-tokens";
import { pdf, pixelFloodPng, png, rotatedJpeg } from "./fixtures";

async function tmpFile(data: Buffer | string): Promise<string> {
  const p = path.join(os.tmpdir(), `files-test-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await fs.writeFile(p, data);
  return p;
}

describe("images", () => {
  it("apply EXIF orientation and drop metadata", async () => {
    const input = await rotatedJpeg(80, 40);
    expect(input.includes("secret-exif-marker")).toBe(true);
    const out = await normalizeImage(input, "image/jpeg");
    expect([out.width, out.height]).toEqual([40, 80]); // rotated upright
    const meta = await sharp(out.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(out.data.includes("secret-exif-marker")).toBe(false);
  });

  it("are resized to at most 2048 pixels a side, and counted by tiles", async () => {
    const out = await normalizeImage(await png(4000, 1000), "image/png");
    expect([out.width, out.height]).toEqual([2048, 512]);
    expect(out.tokens).toBe(imageTokens(2048, 512));
    expect(imageTokens(512, 512)).toBe(85 + 170);
    expect(imageTokens(1024, 1024)).toBe(85 + 170 * 4);
  });

  it("refuse a pixel flood from its header, before decoding", async () => {
    const bomb = pixelFloodPng(100_000, 100_000);
    expect(bomb.length).toBeLessThan(2_000);
    const started = performance.now();
    await expect(normalizeImage(bomb, "image/png")).rejects.toMatchObject({ status: 413, code: "image_too_large" });
    expect(performance.now() - started).toBeLessThan(1_000); // 30 GB of pixels were never allocated
  });

  it("refuse a damaged image with a 400", async () => {
    const good = await png(200, 200);
    await expect(normalizeImage(good.subarray(0, 100), "image/png")).rejects.toMatchObject({ status: 400, code: "invalid_image" });
  });
});

describe("extraction worker", () => {
  it("reads a PDF page by page with tokens per encoding", async () => {
    const file = await tmpFile(await pdf(3));
    const r = await extractInWorker({ path: file, kind: "pdf", encodings: ["o200k_base", "cl100k_base"] });
    expect(r.pages).toBe(3);
    expect(r.pageTexts[1]).toContain("This is page 2 of the test document.");
    expect(r.tokens.o200k_base).toBeGreaterThan(20);
    expect(r.tokens.cl100k_base).toBeGreaterThan(20);
  });

  it("checks a whole text file (a NUL past the sniffed prefix is refused) and counts its lines", async () => {
    const ok = await extractInWorker({ path: await tmpFile("a\nb\nc\n"), kind: "text", encodings: ["o200k_base"], textEncoding: "utf-8" });
    expect(ok).toMatchObject({ lines: 3, pageTexts: ["a\nb\nc\n"] });
    const bad = await tmpFile(Buffer.concat([Buffer.from("x".repeat(10_000)), Buffer.from([0])]));
    await expect(extractInWorker({ path: bad, kind: "text", encodings: ["o200k_base"], textEncoding: "utf-8" })).rejects.toMatchObject({ status: 415 });
  });

  it("refuses a damaged PDF, and terminates a worker past its time budget", async () => {
    const broken = await tmpFile(Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(3000, 0x41)]));
    await expect(extractInWorker({ path: broken, kind: "pdf", encodings: ["o200k_base"] })).rejects.toMatchObject({ status: 400 });
    const big = await tmpFile(await pdf(200));
    await expect(extractInWorker({ path: big, kind: "pdf", encodings: ["o200k_base"] }, 1)).rejects.toMatchObject({ message: expect.stringMatching(/too long/) });
    // The pool replaced the terminated worker: the next task works.
    const again = await extractInWorker({ path: await tmpFile(await pdf(1)), kind: "pdf", encodings: ["o200k_base"] });
    expect(again.pages).toBe(1);
  });
});
