import { describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import { readLimitedBody } from "./body";

/** A chunked request: no Content-Length, the body arrives in pieces. */
function chunked(pieces: string[]): Request {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of pieces) c.enqueue(enc.encode(p));
      c.close();
    },
  });
  return new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readLimitedBody", () => {
  it("reads a body under the limit, across chunks and multi-byte characters", async () => {
    expect(await readLimitedBody(chunked(['{"a":', '"é€"}']), 100, "too big")).toBe('{"a":"é€"}');
  });

  it("refuses a chunked body with no Content-Length once it passes the limit", async () => {
    const err = (await readLimitedBody(chunked(["x".repeat(60), "y".repeat(60)]), 100, "too big").catch((e: unknown) => e)) as AppError;
    expect(err.status).toBe(413);
    expect(err.message).toBe("too big");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const req = new Request("http://localhost/x", { method: "POST", body: "{}", headers: { "content-length": "5000" } });
    await expect(readLimitedBody(req, 100, "too big")).rejects.toMatchObject({ status: 413 });
  });
});
