// Client of an OpenAI-compatible POST /v1/images/generations server (the catalog's `imageModel`;
// operator-configured, so a plain fetch). Asks for b64_json and returns the bytes.
import { z } from "zod";

export interface ImageUpstream {
  /** Base URL without /v1, as replicas are named in the catalog. */
  url: string;
  model: string;
  apiKey?: string;
}

const responseSchema = z.object({
  data: z.array(z.object({ b64_json: z.string().min(1), revised_prompt: z.string().optional() })).min(1),
});

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export class ImageUpstreamError extends Error {}

function sniffMime(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  return null;
}

export async function generateImage(
  upstream: ImageUpstream,
  prompt: string,
  opts: { size?: string; signal: AbortSignal; timeoutMs?: number },
): Promise<{ bytes: Buffer; mime: string; revisedPrompt?: string }> {
  let base = upstream.url;
  while (base.endsWith("/")) base = base.slice(0, -1);
  const res = await fetch(`${base}/v1/images/generations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(upstream.apiKey ? { authorization: `Bearer ${upstream.apiKey}` } : {}) },
    body: JSON.stringify({ model: upstream.model, prompt, n: 1, size: opts.size ?? "512x512", response_format: "b64_json" }),
    signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 120_000)]),
  });
  if (!res.ok) throw new ImageUpstreamError(`the image server answered HTTP ${res.status}`);
  const parsed = responseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ImageUpstreamError("the image server's answer has no image");
  const first = parsed.data.data[0];
  if (first.b64_json.length > (MAX_IMAGE_BYTES * 4) / 3 + 4) throw new ImageUpstreamError("the image is too large");
  const bytes = Buffer.from(first.b64_json, "base64");
  const mime = sniffMime(bytes);
  if (!mime) throw new ImageUpstreamError("the image server sent something that is not a PNG, JPEG or WebP image");
  return { bytes, mime, revisedPrompt: first.revised_prompt };
}
