// Type detection from the bytes: what the name or the client claims does not matter.
import { describe, expect, it } from "vitest";
import { detectType, SNIFF_BYTES } from "@/lib/files/detect";
import { HTML_AS_PNG, pdf, png, SVG } from "./fixtures";

const head = (b: Buffer) => b.subarray(0, SNIFF_BYTES);
const detect = (b: Buffer, name: string) => detectType(head(b), name, b.length <= SNIFF_BYTES);

describe("detectType", () => {
  it("recognises images and PDFs by their magic numbers, whatever the name says", async () => {
    expect(await detect(await png(), "photo.txt")).toMatchObject({ kind: "image", mime: "image/png" });
    expect(await detect(await pdf(1), "notes.png")).toMatchObject({ kind: "pdf", mime: "application/pdf" });
  });

  it("accepts UTF-8 code with the language from the extension, and a BOM", async () => {
    expect(await detect(Buffer.from("export const x = 1;\n"), "a.ts")).toMatchObject({ kind: "text", language: "typescript" });
    expect(await detect(Buffer.from("\ufeffprint('hé')\n"), "b.py")).toMatchObject({ kind: "text", language: "python", textEncoding: "utf-8" });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("hello\n", "utf16le")]);
    expect(await detect(utf16, "c.txt")).toMatchObject({ kind: "text", textEncoding: "utf-16le" });
  });

  it("does not call text invalid when the sniffed prefix cuts a multi-byte character", async () => {
    const text = Buffer.from("é".repeat(SNIFF_BYTES)); // 2 bytes each: the prefix ends mid-character or not
    const cut = Buffer.concat([Buffer.from("a"), text]);
    expect(await detectType(cut.subarray(0, SNIFF_BYTES), "x.md", false)).toMatchObject({ kind: "text", language: "markdown" });
  });

  it("refuses HTML named .png, SVG, binary and other formats, naming what is accepted", async () => {
    await expect(detect(HTML_AS_PNG, "cat.png")).rejects.toMatchObject({ status: 415, code: "unsupported_file_type", message: expect.stringMatching(/HTML and SVG.*PNG, JPEG, WebP or GIF images, PDFs/) });
    await expect(detect(SVG, "logo.svg")).rejects.toMatchObject({ status: 415 });
    await expect(detect(SVG, "logo.txt")).rejects.toMatchObject({ status: 415 }); // renamed SVG
    await expect(detect(Buffer.from("plain words"), "page.html")).rejects.toMatchObject({ status: 415 });
    await expect(detect(Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(40)]), "a.txt")).rejects.toMatchObject({ status: 415 }); // zip
    await expect(detect(Buffer.from("abc\u0000def"), "a.txt")).rejects.toMatchObject({ status: 415 });
    await expect(detect(Buffer.from([0xc3, 0x28, 0x41]), "a.txt")).rejects.toMatchObject({ status: 415 }); // invalid UTF-8
    await expect(detect(Buffer.alloc(0), "empty.txt")).rejects.toMatchObject({ status: 415 });
  });
});
