// What the logs must never hold: credentials and what users wrote. Runs the real logger, the real
// error mapping and a real failing query (PGlite, or PostgreSQL with DATABASE_URL) with a secret in
// its parameters, and reads the lines that were written.
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { toAppError } from "@/lib/errors";
import { runWithRequest } from "@/lib/log/context";
import { log, setLogDestinationForTests } from "@/lib/log/logger";
import { logRequest } from "@/lib/log/request-log";

let lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const written = () => lines.join("\n");

const SECRET = "sk-live-3f9c2a7d-never-log-me";
const TEXT = "my private message about my diagnosis";

beforeEach(() => {
  lines = [];
  setLogDestinationForTests(capture);
});
afterAll(() => closeDb());

describe("log redaction", () => {
  it("replaces credentials and message text wherever a caller passes them", () => {
    log().info(
      {
        req: { headers: { authorization: `Bearer ${SECRET}`, cookie: `authjs.session-token=${SECRET}` } },
        password: SECRET,
        apiKey: SECRET,
        content: TEXT,
        body: { messages: [{ role: "user", content: TEXT }] },
        deep: { run: { text: TEXT, prompt: TEXT } },
        model: "gpt-4o",
      },
      "a careless line",
    );
    const out = written();
    expect(out).toContain("gpt-4o");
    expect(out).toContain("[redacted]");
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("diagnosis");
  });

  it("a failed query is logged with its statement, never its parameters", async () => {
    const db = await getDb();
    let thrown: unknown;
    try {
      // A real failure: the parameter is not a valid uuid, so the database rejects the statement.
      await db.execute(sql`select * from users where id = ${`${SECRET} ${TEXT}`}::uuid`);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(String((thrown as Error).message) + JSON.stringify(thrown)).toContain(SECRET); // the raw error does carry it
    const appError = runWithRequest({ requestId: "req-test-0001" }, () => toAppError(thrown));
    expect(appError.status).toBe(500);
    const out = written();
    expect(out).toContain("select * from users where id = $1::uuid");
    expect(out).toContain("req-test-0001");
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("diagnosis");
    // The client sees neither the statement nor the parameter.
    expect(JSON.stringify(appError.toJSON())).not.toMatch(/select|sk-live/);
  });

  it("the request line names method, path, status, duration, request and user, and not the query string", () => {
    const req = new Request(`http://localhost/v1/search?q=${encodeURIComponent(TEXT)}`, {
      headers: { cookie: `authjs.session-token=${SECRET}`, authorization: `Bearer ${SECRET}` },
    });
    runWithRequest({ requestId: "req-test-0002", userId: "user-1" }, () => logRequest(req, 200, 12.34));
    const line = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ kind: "request", method: "GET", route: "/v1/search", status: 200, request_id: "req-test-0002", user_id: "user-1" });
    expect(typeof line.duration_ms).toBe("number");
    expect(written()).not.toContain(SECRET);
    expect(written()).not.toContain("diagnosis");
  });
});
