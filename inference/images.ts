// POST /v1/images/generations – OpenAI's shape, with deterministic images: an SVG whose colours
// and shapes come from a hash of the prompt, rendered to PNG by sharp. Same prompt, same bytes.
import { createHash } from "node:crypto";
import { z } from "zod";

const requestSchema = z.looseObject({
  prompt: z.string().min(1).max(32_000),
  model: z.string().optional(),
  n: z.number().int().min(1).max(4).optional(),
  size: z.enum(["256x256", "512x512", "1024x1024"]).optional(),
  response_format: z.enum(["b64_json", "url"]).optional(),
});

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function promptSvg(prompt: string, size: number, variant = 0): string {
  const h = createHash("sha256").update(`${variant}:${prompt}`).digest();
  const hue = (i: number) => Math.round((h[i] / 255) * 360);
  const shapes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const x = (h[4 + i] / 255) * size;
    const y = (h[10 + i] / 255) * size;
    const r = size * (0.08 + (h[16 + i] / 255) * 0.25);
    shapes.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="hsl(${hue(22 + i)},70%,55%)" fill-opacity="0.75"/>`);
  }
  const caption = escapeXml(prompt.slice(0, 40));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
    `<rect width="100%" height="100%" fill="hsl(${hue(0)},45%,20%)"/>${shapes.join("")}` +
    `<text x="50%" y="94%" font-family="sans-serif" font-size="${Math.round(size / 24)}" fill="#fff" text-anchor="middle">${caption}</text></svg>`
  );
}

export async function imagesResponse(body: string): Promise<{ status: number; json: unknown }> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return invalid("Request body is not valid JSON");
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { prompt, n = 1, size = "512x512" } = parsed.data;
  const px = Number(size.split("x")[0]);
  const { default: sharp } = await import("sharp");
  const data = [];
  for (let i = 0; i < n; i++) {
    const png = await sharp(Buffer.from(promptSvg(prompt, px, i))).png().toBuffer();
    data.push({ b64_json: png.toString("base64"), revised_prompt: prompt });
  }
  return { status: 200, json: { created: Math.floor(Date.now() / 1000), data } };
}

function invalid(message: string) {
  return { status: 400, json: { error: { message, type: "invalid_request_error", param: null, code: 400 } } };
}
