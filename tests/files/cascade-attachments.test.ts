// "auto" sees a message's attachments: the pipeline keeps them beside the text (UpstreamMessage.parts)
// until the upstream body is built, so the cascade's classifier can count them, and the body carries
// [parts…, text] while every earlier step read only the typed text.
import { describe, expect, it } from "vitest";
import { withContentParts } from "@/lib/files/api-images";
import type { UpstreamMessage } from "@/lib/gateway/context";
import { cascadeModel } from "@/lib/gateway/pipeline/route";
import { findModel } from "@/lib/models/catalog";

const image = { type: "image_url" as const, image_url: { url: "data:image/png;base64,AAAA" } };

describe("attachments through the pipeline", () => {
  it("an attachment sends a short question to the strong model", () => {
    const auto = findModel("auto")!;
    const plain: UpstreamMessage[] = [{ role: "user", content: "What is this?" }];
    const attached: UpstreamMessage[] = [{ role: "user", content: "What is this?", parts: [image] }];
    expect(cascadeModel(auto, plain).id).toBe(auto.cascade!.cheap);
    expect(cascadeModel(auto, attached).id).toBe(auto.cascade!.strong);
  });

  it("the upstream body puts the parts before the typed text, and leaves other messages alone", () => {
    const body = withContentParts([
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is this?", parts: [image] },
      { role: "user", content: "", parts: [image] },
    ] satisfies UpstreamMessage[]);
    expect(body).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: [image, { type: "text", text: "What is this?" }] },
      { role: "user", content: [image] },
    ]);
  });
});
