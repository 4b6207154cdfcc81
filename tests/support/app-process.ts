// A serving process that tests can kill -9 and start again: the app server's live-reply routes
// (scripts/server.ts's route table, as production serves them), a few routes Next.js serves in
// production (through the same production adapter), and a real server's start-up work
// (lib/jobs/background.ts: migrations, and on embedded PGlite the sweep of replies a dead server
// left unfinished; the live store's watch for other instances' lapsed leases).
//
//   node --import tsx/esm tests/support/app-process.ts        (env: the app's configuration)
//
// With SEED_USER=1 it first creates a user and a signed-in session (AUTH_SECRET must be
// TEST_AUTH_SECRET). It prints one line, `READY {"url", "cookie"?, "userId"?}`, once it listens.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type RouteHandler, serveRoute } from "@/lib/http/node-adapter";
import { createFastHandler } from "@/scripts/server";

const OTHERS: { method: string; pattern: RegExp; load: () => Promise<RouteHandler> }[] = [
  { method: "GET", pattern: /^\/v1\/conversations\/([^/]+)$/, load: async () => (await import("@/app/v1/conversations/[id]/route")).GET as RouteHandler },
  { method: "GET", pattern: /^\/api\/files\/([^/]+)$/, load: async () => (await import("@/app/api/files/[id]/route")).GET as RouteHandler },
];

async function main(): Promise<void> {
  const { startBackgroundJobs } = await import("@/lib/jobs/background");
  await startBackgroundJobs();
  (await import("@/lib/gateway/pipeline/live")).live(); // watches for lapsed leases (with REDIS_URL)
  let seeded: { cookie: string; userId: string } | null = null;
  if (process.env.SEED_USER === "1") {
    const { signedIn } = await import("./session-cookie");
    const s = await signedIn();
    seeded = { cookie: s.cookie, userId: s.user.id };
  }
  const fast = createFastHandler();
  const server = http.createServer((req, res) => {
    if (fast.handle(req, res)) return;
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    for (const route of OTHERS) {
      const m = route.method === req.method ? route.pattern.exec(pathname) : null;
      if (!m) continue;
      void route.load().then((h) => serveRoute(h, { id: decodeURIComponent(m[1]) }, req, res));
      return;
    }
    res.writeHead(404).end();
  });
  fast.warm();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(`READY ${JSON.stringify({ url, ...seeded })}\n`);
}

main().catch((err: unknown) => {
  console.error("[app-process] failed to start", err);
  process.exit(1);
});
