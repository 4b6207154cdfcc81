// Images are decoded and re-encoded with sharp (libvips): EXIF orientation applied, metadata (EXIF,
// GPS, ICC comments) dropped, the first frame of an animation only, at most IMAGE_MAX_SIDE pixels a
// side. libvips decodes on its own thread pool, so this does not block the event loop; the pixel
// limit refuses a decompression bomb from its header, before any pixel is decoded.
import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { IMAGE_MAX_SIDE, imageTokens } from "./image-tokens";
import type { ImageMime } from "./types";

/** 40 megapixels: a 12-megapixel photo passes, a 100,000 × 100,000 claim does not. */
export const MAX_INPUT_PIXELS = 40_000_000;
const TIMEOUT_SECONDS = 10;
// One libvips thread per image operation: a 12-megapixel decode then takes one core, not every core
// the streams' event loop needs (the machine may have two).
sharp.concurrency(1);

export interface NormalizedImage {
  data: Buffer;
  mime: "image/png" | "image/jpeg" | "image/webp";
  width: number;
  height: number;
  tokens: number;
}

function unreadable(cause: unknown): AppError {
  const pixels = String((cause as Error)?.message ?? "").includes("pixel limit");
  return new AppError(
    "invalid_request_error",
    pixels ? "image_too_large" : "invalid_image",
    pixels
      ? `This image has more than ${MAX_INPUT_PIXELS / 1_000_000} megapixels; attach a smaller one.`
      : "This image could not be read; it may be damaged.",
    { status: pixels ? 413 : 400, cause },
  );
}

/** Re-encodes in the source's family: photos stay JPEG, WebP stays WebP, PNG and GIF become PNG. */
function outputMime(input: ImageMime): NormalizedImage["mime"] {
  if (input === "image/jpeg") return "image/jpeg";
  if (input === "image/webp") return "image/webp";
  return "image/png";
}

export async function normalizeImage(input: Buffer | string, mime: ImageMime, maxSide = IMAGE_MAX_SIDE): Promise<NormalizedImage> {
  const out = outputMime(mime);
  try {
    // pages: 1 → the first frame of a GIF/WebP animation; failOn "error" rejects truncated files.
    const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1, failOn: "error", sequentialRead: true })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true });
    const encoded =
      out === "image/jpeg" ? pipeline.jpeg({ quality: 85, mozjpeg: false }) : out === "image/webp" ? pipeline.webp({ quality: 85 }) : pipeline.png();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, mime: out, width: info.width, height: info.height, tokens: imageTokens(info.width, info.height) };
  } catch (err) {
    throw unreadable(err);
  }
}

/** A stored image as a data URL for the model, smaller when the model's limit is below the stored size. */
export async function imageDataUrl(data: Buffer, mime: string, maxSide: number, storedMax: number): Promise<string> {
  let bytes = data;
  if (maxSide < storedMax) {
    bytes = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
      .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
      .toBuffer();
  }
  return `data:${mime};base64,${bytes.toString("base64")}`;
}
