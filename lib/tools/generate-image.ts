// generate_image: one image from the catalog's images server, returned as an artifact the chat
// stores with its files and shows inline.
import { createHash } from "node:crypto";
import { z } from "zod";
import { getCatalog } from "@/lib/models/catalog";
import { generateImage, ImageUpstreamError } from "./images-client";
import type { Tool } from "./types";
import { errorResult } from "./types";

const input = z.object({
  prompt: z.string().trim().min(1, "prompt is empty").max(4000),
  size: z.enum(["256x256", "512x512", "1024x1024"]).optional(),
});

const EXT: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

export const generateImageTool: Tool<z.infer<typeof input>> = {
  name: "generate_image",
  label: "Generated an image",
  description: "Generate an image from a text description. The image is shown to the user; describe it briefly in your reply.",
  input,
  availability() {
    return getCatalog().imageModel ? { ok: true } : { ok: false, reason: "no image model is configured on this server (catalog imageModel)" };
  },
  async run({ prompt, size }, ctx) {
    const upstream = getCatalog().imageModel;
    if (!upstream) return errorResult("generate_image", "Image generation is off on this server.");
    try {
      const image = await generateImage(upstream, prompt, { size, signal: ctx.signal });
      const name = `image-${createHash("sha256").update(prompt).digest("hex").slice(0, 10)}.${EXT[image.mime]}`;
      const file = { name, mime: image.mime, size: image.bytes.byteLength };
      return {
        content: `Generated one image (${file.name}, ${size ?? "512x512"}) for the prompt: ${prompt}. It is shown to the user.`,
        display: { kind: "generate_image", prompt, images: [file] },
        artifacts: [{ name, mime: image.mime, bytes: new Uint8Array(image.bytes) }],
      };
    } catch (err) {
      if (ctx.signal.aborted) return errorResult("generate_image", "Stopped.");
      if (err instanceof ImageUpstreamError) return errorResult("generate_image", `Image generation failed: ${err.message}.`);
      console.error("image generation failed", (err as Error).message);
      return errorResult("generate_image", "The image server could not be reached.");
    }
  },
};
