// What an image costs in a prompt, by OpenAI's rule for high-detail images: fit 2048 × 2048, scale
// the shorter side down to 768, then 170 tokens per 512-pixel tile plus 85. Vision servers (vLLM) use
// their own counts; this is the gateway's estimate for the budget, as text tokens are.
export const IMAGE_MAX_SIDE = 2048;
const SHORT_SIDE = 768;
const TILE = 512;

export function imageTokens(width: number, height: number): number {
  if (width <= 0 || height <= 0) return 85;
  let w = width;
  let h = height;
  const fit = Math.min(1, IMAGE_MAX_SIDE / Math.max(w, h));
  w *= fit;
  h *= fit;
  const short = Math.min(1, SHORT_SIDE / Math.min(w, h));
  w *= short;
  h *= short;
  return 85 + 170 * Math.ceil(w / TILE) * Math.ceil(h / TILE);
}
