import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "./csrf";

const req = (method: string, headers: Record<string, string>) =>
  new Request("http://app.local/api/chat", { method, headers: { host: "app.local", ...headers } });

describe("assertSameOrigin", () => {
  it("lets same-origin JSON writes and any read through", () => {
    expect(() => assertSameOrigin(req("POST", { "sec-fetch-site": "same-origin", origin: "http://app.local", "content-type": "application/json" }))).not.toThrow();
    expect(() => assertSameOrigin(req("GET", { "sec-fetch-site": "cross-site" }))).not.toThrow();
    // Programs (no browser headers) may write JSON.
    expect(() => assertSameOrigin(req("POST", { "content-type": "application/json" }))).not.toThrow();
  });

  it("refuses cross-site writes, foreign origins and non-JSON bodies", () => {
    expect(() => assertSameOrigin(req("POST", { "sec-fetch-site": "cross-site", "content-type": "application/json" }))).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => assertSameOrigin(req("DELETE", { origin: "https://evil.example", "content-type": "application/json" }))).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => assertSameOrigin(req("POST", { "sec-fetch-site": "same-origin", "content-type": "text/plain", "content-length": "2" }))).toThrow(
      expect.objectContaining({ status: 415 }),
    );
  });
});
