// Test files made in code: images with sharp, PDFs with pdf-lib, and hostile ones by hand.
import { deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";

export function png(width = 64, height = 48, color = "#3366cc"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

/** A JPEG whose EXIF says "rotate 90° clockwise" (orientation 6), with a GPS-like comment in EXIF. */
export function rotatedJpeg(width = 80, height = 40): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#cc3333" } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: "secret-exif-marker" } } })
    .toBuffer();
}

export async function animatedGif(): Promise<Buffer> {
  // Two 16×16 frames stacked vertically, declared as pages of an animation.
  const frames = await sharp({ create: { width: 16, height: 32, channels: 4, background: "#00ff00" } })
    .gif()
    .toBuffer();
  return sharp(frames, { raw: undefined }).gif({ loop: 0 }).toBuffer();
}

export async function pdf(pages: number, perPage = (n: number) => `This is page ${n} of the test document.`): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([612, 792]);
    const lines = perPage(n).split("\n");
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 14, size: 11, font }));
  }
  return Buffer.from(await doc.save());
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A tiny valid-looking PNG whose header claims width × height pixels (a decompression bomb's header). */
export function pixelFloodPng(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(1024))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export const HTML_AS_PNG = Buffer.from("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");
export const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>');
