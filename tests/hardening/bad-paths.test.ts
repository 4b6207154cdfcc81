// A malformed % escape in the path of any route is a 400 in the OpenAI error shape (review finding 8),
// answered by the app server itself before Next sees it (Next answers such paths with a plain-text
// 500): API routes, file and share routes, and pages alike. Over real HTTP through the whole app server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardeningEnv, startApp, type TestApp } from "./app";

hardeningEnv();

const { closeDb } = await import("@/db");

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await closeDb();
});

describe("malformed % escapes in paths", () => {
  it.each(["/v1/conversations/%ZZ", "/api/files/%ZZ", "/share/%ZZ", "/chat/%E0%A4%A", "/api/share/%ZZ/files/x", "/v1/conversations/%ZZ/messages"])(
    "GET %s is a 400 invalid_path",
    async (p) => {
      const res = await fetch(`${app.url}${p}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", code: "invalid_path" });
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    },
  );

  it("a well-formed escape still reaches its route (which asks for a valid key), and a query string is not checked", async () => {
    const res = await fetch(`${app.url}/v1/conversations/%61bc`, { headers: { authorization: "Bearer sk-nope" } });
    expect(res.status).toBe(401);
    expect((await fetch(`${app.url}/api/health/live?q=%ZZ`)).status).toBe(200); // the query string is not the path
  });
});
