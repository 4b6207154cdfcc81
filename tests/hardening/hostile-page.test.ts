// Reading a hostile web page does not freeze the server (review finding 2): the chat asks the real
// simulator to "read <url>", the fetch_url tool fetches pages built to make Readability on linkedom
// slow (1,500 nested <div>s: 100 s before; 94 k links; a 2 MiB table), over real HTTP through the
// whole app server, while another thread checks that /api/health/live keeps answering. The page
// server is let through by the test-only SAFE_FETCH_ALLOW_HOSTS.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { readSseText, sseEvents, startSimulator } from "../support/gateway-harness";
import { livenessDuring } from "../support/liveness-probe";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";
import { startLocalServer, type LocalServer } from "../tools/local-server";

let sim: InferenceServer;
let app: RouteServer;
let pages: LocalServer;

const PAGES: Record<string, string> = {
  "/nested": `<!doctype html><html><head><title>Deep</title></head><body>${"<div>".repeat(1_500)}the deep sentence${"</div>".repeat(1_500)}</body></html>`,
  "/deeper": `<!doctype html><html><head><title>Deeper</title></head><body>${"<div><span>".repeat(6_000)}bottom${"</span></div>".repeat(6_000)}</body></html>`,
  "/links": `<!doctype html><html><head><title>Links</title></head><body>${Array.from({ length: 94_000 }, (_, i) => `<a href="/p${i}">l${i}</a>`).join("")}</body></html>`,
  "/table": `<!doctype html><html><head><title>Table</title></head><body><table>${"<tr><td>cell</td><td>more</td></tr>".repeat(60_000)}</table></body></html>`,
};

beforeAll(async () => {
  pages = await startLocalServer();
  for (const [p, html] of Object.entries(PAGES)) pages.route(p, (_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", SAFE_FETCH_ALLOW_HOSTS: `127.0.0.1:${pages.port}` });
  app = await serveApp({}, { wholeServer: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await pages?.close();
});

type Ui = { type: string; output?: { isError: boolean; display: { kind: string; pages?: { title: string }[] } } };

async function readPage(cookie: string, url: string) {
  const res = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: `read ${url}` } }),
  });
  expect(res.status).toBe(200);
  const text = await readSseText(res);
  const ui = sseEvents(text)
    .filter((e) => e.data.startsWith("{"))
    .map((e) => JSON.parse(e.data) as Ui);
  return { result: ui.find((e) => e.type === "tool-output-available")?.output, done: text.includes("data: [DONE]") };
}

describe("fetch_url on hostile pages", () => {
  it.each(Object.keys(PAGES))("%s: read off the event loop; the server keeps answering", async (p) => {
    const { cookie } = await signedIn();
    const { result, slowestMs } = await livenessDuring(`${app.url}/api/health/live`, () => readPage(cookie, `${pages.origin}${p}`));
    expect(result.done).toBe(true);
    expect(result.result).toMatchObject({ isError: false, display: { kind: "fetch_url" } });
    expect(slowestMs).toBeLessThan(2_000);
  }, 60_000);

  it("a page too deep for Readability still gives the model its text", async () => {
    const { readableFromHtml } = await import("@/lib/tools/web/readable");
    const page = await readableFromHtml(PAGES["/nested"], `${pages.origin}/nested`);
    expect(page).toEqual({ title: "Deep", markdown: "the deep sentence" });
    // And one the worker cannot finish in its budget: the linear tag strip, here.
    const slow = await readableFromHtml(PAGES["/table"], `${pages.origin}/table`, 1);
    expect(slow.title).toBe("Table");
    expect(slow.markdown.startsWith("cell more\ncell more")).toBe(true);
  });
});
