// The SSRF-safe fetch against every address form, redirects, rebinding and the caps — all with
// local servers (and a fake resolver standing in for DNS); nothing here reaches another host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeFetch, SafeFetchError, type SafeFetch } from "@/lib/net/safe-fetch";
import type { Resolver } from "@/lib/net/guarded-connect";
import { startLocalServer, type LocalServer } from "./local-server";

let srv: LocalServer;
let strict: SafeFetch & { close(): Promise<void> };

async function failure(p: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SafeFetchError);
    return err as SafeFetchError;
  }
  throw new Error("expected the fetch to be refused");
}

beforeAll(async () => {
  srv = await startLocalServer();
  srv.route("/page", (_req, res) => res.writeHead(200, { "content-type": "text/html", "set-cookie": "sid=1" }).end("<p>hello</p>"));
  strict = createSafeFetch({ allowHosts: "" });
});
afterAll(async () => {
  await strict.close();
  await srv.close();
});

describe("address forms (allowance off)", () => {
  const forms = [
    "http://127.0.0.1/", "http://127.0.0.1./", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/",
    "http://0x7f000001/", "http://127.1/", "http://017700000001/", "http://%31%32%37.0.0.1/", "http://①②⑦.0.0.1/",
    "http://0.0.0.0/", "http://0/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
    "http://240.0.0.1/", "http://192.0.0.8/", "http://198.18.0.1/",
    "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b:1::a00:1]/",
    "http://[2002:7f00:1::1]/", "http://[2001:0:4136:e378::1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
    "http://[fe80::1]/", "http://[fec0::1]/", "http://[ff02::1]/", "http://[2001:db8::1]/", "https://[::1]:443/",
    "http://localhost/", "http://localhost./", "http://LOCALHOST/", "http://app.localhost/",
  ];
  it.each(forms)("refuses %s", async (url) => {
    const err = await failure(strict(url));
    expect(err.code).toBe("blocked_address");
    expect(err.message).not.toMatch(/127\.0\.0\.1|169\.254/); // no internal address in what the model sees
  });

  it.each(["file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "data:text/plain,hi", "javascript:alert(1)", "ws://example.com/"])(
    "refuses the scheme of %s",
    async (url) => expect((await failure(strict(url))).code).toBe("blocked_scheme"),
  );

  it("refuses credentials in the URL, other ports and garbage", async () => {
    expect((await failure(strict("http://user:pw@example.com/"))).code).toBe("blocked_credentials");
    expect((await failure(strict("http://example.com:8080/"))).code).toBe("blocked_port");
    expect((await failure(strict(`http://127.0.0.1:${srv.port}/page`))).code).toBe("blocked_port");
    expect((await failure(strict("not a url"))).code).toBe("invalid_url");
  });
});

describe("with the test-only allowance for one local address", () => {
  let fetchLocal: SafeFetch & { close(): Promise<void> };
  beforeAll(() => {
    fetchLocal = createSafeFetch({ allowHosts: `127.0.0.1:${srv.port}` });
  });
  afterAll(() => fetchLocal.close());

  it("fetches the allowed address, sends no cookie or credentials, and normalises spellings", async () => {
    const res = await fetchLocal(`http://0x7f.1:${srv.port}/page`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("<p>hello</p>");
    expect(res.url).toBe(`http://127.0.0.1:${srv.port}/page`);
    const headers = srv.seen.at(-1)!.headers;
    expect(headers.cookie).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
  });

  it("accepts localhost:PORT in the allowance for a local test server, and nothing else local", async () => {
    const named = createSafeFetch({ allowHosts: `localhost:${srv.port}` });
    expect((await named(`http://localhost:${srv.port}/page`)).body.toString()).toBe("<p>hello</p>");
    expect((await failure(named("http://localhost/"))).code).toBe("blocked_address");
    expect((await failure(named(`http://10.0.0.1:${srv.port}/`))).code).toBe("blocked_address");
    await named.close();
  });

  it("re-checks every redirect hop", async () => {
    const targets = ["http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:a9fe:a9fe]/", "http://2130706433/", "http://localhost/", "file:///etc/passwd"];
    for (const [i, target] of targets.entries()) {
      srv.route(`/r${i}`, (_req, res) => res.writeHead(302, { location: target, "set-cookie": "sid=2" }).end());
      const err = await failure(fetchLocal(`${srv.origin}/r${i}`));
      expect(["blocked_address", "blocked_scheme"]).toContain(err.code);
    }
    // A redirect to another local port is refused too (only the allowed ip:port passes).
    srv.route("/other-port", (_req, res) => res.writeHead(307, { location: "http://127.0.0.1:1/" }).end());
    expect((await failure(fetchLocal(`${srv.origin}/other-port`))).code).toMatch(/blocked_/);
  });

  it("follows allowed redirects up to the cap, without cookies", async () => {
    srv.route("/hop", (_req, res) => res.writeHead(301, { location: "/page", "set-cookie": "sid=3" }).end());
    const res = await fetchLocal(`${srv.origin}/hop`);
    expect(res.body.toString()).toBe("<p>hello</p>");
    expect(res.redirects).toEqual([`${srv.origin}/hop`]);
    expect(srv.seen.at(-1)!.headers.cookie).toBeUndefined();
    srv.route("/loop", (_req, res) => res.writeHead(302, { location: "/loop" }).end());
    expect((await failure(fetchLocal(`${srv.origin}/loop`, { maxRedirects: 3 }))).code).toBe("too_many_redirects");
  });

  it("caps the body, the time and honours a stop", async () => {
    srv.route("/big", (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.alloc(1024 * 1024, 1));
    });
    const big = await fetchLocal(`${srv.origin}/big`, { maxBytes: 1000 });
    expect(big.truncated).toBe(true);
    expect(big.body.length).toBe(1000);

    srv.route("/slow", () => {}); // never answers
    const started = Date.now();
    expect((await failure(fetchLocal(`${srv.origin}/slow`, { timeoutMs: 300 }))).code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    expect((await failure(fetchLocal(`${srv.origin}/slow`, { signal: stop.signal }))).code).toBe("aborted");
  });
});

describe("DNS: the address checked is the address connected to", () => {
  it("refuses a name that resolves to a private address, or to public and private at once", async () => {
    const resolve: Resolver = async (host) =>
      host === "mixed.test"
        ? [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.5", family: 4 }]
        : [{ address: "127.0.0.1", family: 4 }];
    const f = createSafeFetch({ resolve, allowHosts: "" });
    expect((await failure(f("http://internal.test/"))).code).toBe("blocked_address");
    expect((await failure(f("http://mixed.test/"))).code).toBe("blocked_address");
    await f.close();
  });

  it("resolves once per connection, at connect: a rebinding answer on the next connection is refused", async () => {
    // The name first answers with the allowed local server, then with another loopback address.
    const answers = ["127.0.0.1", "127.0.0.2"];
    let calls = 0;
    const resolve: Resolver = async () => [{ address: answers[Math.min(calls++, 1)], family: 4 }];
    srv.route("/close", (_req, res) => res.writeHead(200, { connection: "close" }).end("first"));
    const f = createSafeFetch({ resolve, allowHosts: `127.0.0.1:${srv.port}` });
    const first = await f(`http://rebind.test:${srv.port}/close`);
    expect(first.body.toString()).toBe("first");
    expect(calls).toBe(1); // no separate pre-resolve
    expect((await failure(f(`http://rebind.test:${srv.port}/close`))).code).toBe("blocked_address");
    expect(calls).toBe(2);
    await f.close();
  });
});
