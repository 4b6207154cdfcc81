// The public API's images on their way upstream: a message with images becomes
// [image_url parts…, text part] (images first, as the chat sends attachments), without the side field.
interface WithImages {
  role: string;
  content: string;
  name?: string;
  images?: { url: string; tokens: number }[];
}

export function imageTokensOf(m: WithImages): number {
  return m.images?.reduce((sum, i) => sum + i.tokens, 0) ?? 0;
}

export function withImageParts(messages: WithImages[]): { role: string; content: unknown; name?: string }[] {
  return messages.map(({ images, ...m }) =>
    images?.length
      ? { ...m, content: [...images.map((i) => ({ type: "image_url", image_url: { url: i.url } })), ...(m.content ? [{ type: "text", text: m.content }] : [])] }
      : m,
  );
}
