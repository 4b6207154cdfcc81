// Accounts and sessions (issue 17 items 3–7): over real HTTP against Auth.js's own endpoints and the
// route handlers, with the client address worked out as the app server does.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hardeningEnv, mergeCookies, passwordSignIn, sessionCookie, startApp, type TestApp } from "./app";

hardeningEnv({ LOGIN_FAILURES_PER_IP: "12", GUESTS_PER_IP_PER_HOUR: "3", ADMIN_EMAILS: "boss@example.test" });

const { closeDb } = await import("@/db");
const { createUser, getUserByEmail, markEmailVerifiedByProvider } = await import("@/db/queries/users");
const { revokeSessionsByUserId } = await import("@/db/queries/sessions");
const { hashPassword } = await import("@/lib/auth/password");
const { resetLoginThrottleForTests } = await import("@/lib/auth/login-throttle");
const { resetLimitersForTests } = await import("@/lib/limits/limiters");
const { resetEnvForTests } = await import("@/lib/env");
const { resetClientIpForTests } = await import("@/lib/http/client-ip");

const PASSWORD = "correct horse battery staple";
let app: TestApp;

async function passwordUser(email = `u-${randomUUID().slice(0, 8)}@example.test`) {
  await createUser({ email, name: null, passwordHash: await hashPassword(PASSWORD), isGuest: false });
  return email;
}

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await closeDb();
});
beforeEach(() => {
  resetLoginThrottleForTests();
  resetLimitersForTests();
});

describe("/api/auth/* body limit", () => {
  it("refuses a body over 64 KB with 413, and a 20 MB declared body before reading it", async () => {
    const big = await fetch(`${app.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=${"a".repeat(70 * 1024)}`,
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe("request_too_large");
    // Declares 20 MB and sends almost nothing: the answer comes without waiting for the rest.
    const started = Date.now();
    const res = await new Promise<number>((resolve, reject) => {
      const u = new URL(app.url);
      const req = http.request(
        { host: u.hostname, port: u.port, path: "/api/auth/callback/credentials", method: "POST", headers: { "content-length": String(20 * 1024 * 1024), "content-type": "application/x-www-form-urlencoded" } },
        (r) => {
          resolve(r.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", reject);
      req.write("email=x");
    });
    expect(res).toBe(413);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("sign-in throttle", () => {
  it("does not trust X-Forwarded-For by default: a new forwarded address per attempt is still one client", async () => {
    const email = await passwordUser();
    const codes: (string | null)[] = [];
    for (let i = 0; i < 16; i++) {
      const other = `victim-${i}-${randomUUID().slice(0, 4)}@example.test`;
      codes.push((await passwordSignIn(app.url, other, "wrong", { "x-forwarded-for": `198.51.100.${i}` })).code);
    }
    expect(codes.slice(0, 12).every((c) => c === "invalid_login")).toBe(true);
    expect(codes.slice(12).every((c) => c === "too_many_attempts")).toBe(true);
    // The per-IP limit holds for a correct password too (the attacker's address is spent).
    expect((await passwordSignIn(app.url, email, PASSWORD, { "x-forwarded-for": "203.0.113.9" })).code).toBe("too_many_attempts");
  });

  it("believes X-Forwarded-For from a proxy named in TRUSTED_PROXIES", async () => {
    process.env.TRUSTED_PROXIES = "loopback";
    resetEnvForTests();
    resetClientIpForTests();
    try {
      for (let i = 0; i < 14; i++) {
        const r = await passwordSignIn(app.url, `x-${i}@example.test`, "wrong", { "x-forwarded-for": `198.51.100.${i}` });
        expect(r.code).toBe("invalid_login"); // each a different client: none reaches the per-IP limit
      }
    } finally {
      process.env.TRUSTED_PROXIES = "";
      resetEnvForTests();
      resetClientIpForTests();
    }
  });

  it("backs off per account instead of locking it: after the free failures a short wait, then the right password works", async () => {
    const email = await passwordUser();
    for (let i = 0; i < 6; i++) expect((await passwordSignIn(app.url, email, "wrong")).code).toBe("invalid_login");
    // The sixth failure set a 1 s wait: the right password is refused during it …
    expect((await passwordSignIn(app.url, email, PASSWORD)).code).toBe("too_many_attempts");
    await new Promise((r) => setTimeout(r, 1_100));
    // … and accepted after it (the old throttle locked the account for 15 minutes after five).
    const ok = await passwordSignIn(app.url, email, PASSWORD);
    expect(ok.ok).toBe(true);
  });
});

describe("guest creation", () => {
  it("is limited per client address", async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const jar = new Map<string, string>();
      const csrf = await fetch(`${app.url}/api/auth/csrf`, { headers: { "x-forwarded-for": `192.0.2.${i}` } });
      const cookie = mergeCookies(jar, csrf);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const res = await fetch(`${app.url}/api/auth/callback/guest`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `192.0.2.${i}` },
        body: new URLSearchParams({ csrfToken, callbackUrl: "/" }),
      });
      mergeCookies(jar, res);
      results.push(jar.has("authjs.session-token"));
    }
    expect(results).toEqual([true, true, true, false, false]);
  });
});

describe("sign-out", () => {
  it("POST /api/auth/signout revokes the server session: a copied cookie gets no session and no API access", async () => {
    const email = await passwordUser();
    const signedIn = await passwordSignIn(app.url, email, PASSWORD);
    expect(signedIn.ok).toBe(true);
    const copied = signedIn.cookie;
    const session = await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie: copied } })).json();
    expect(session?.user?.email).toBe(email);

    const csrf = await fetch(`${app.url}/api/auth/csrf`, { headers: { cookie: copied } });
    const cookie = mergeCookies(signedIn.jar, csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await fetch(`${app.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/" }),
    });
    expect(out.status).toBe(302);

    expect(await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie: copied } })).json()).toBeNull();
    expect((await fetch(`${app.url}/v1/conversations`, { headers: { cookie: copied } })).status).toBe(401);
  });

  it("revoking every session of a user (Sign out of all devices) ends GET /api/auth/session for each cookie", async () => {
    const user = await createUser({ email: `all-${randomUUID().slice(0, 8)}@example.test`, name: null, isGuest: false });
    const a = await sessionCookie(user.id, user.email);
    const b = await sessionCookie(user.id, user.email);
    expect((await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie: a } })).json())?.user?.email).toBe(user.email);
    expect(await revokeSessionsByUserId({ userId: user.id })).toBe(2);
    for (const cookie of [a, b]) expect(await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie } })).json()).toBeNull();
  });
});

describe("email verification", () => {
  it("ADMIN_EMAILS applies only once the address is verified by its single-use link", async () => {
    const email = await passwordUser("boss@example.test");
    const info = vi.spyOn(console, "info");
    expect((await passwordSignIn(app.url, email, PASSWORD)).ok).toBe(true);
    expect((await getUserByEmail({ email }))!.role).toBe("user"); // listed, but unverified: not admin

    const { sendVerificationLink, verifyEmailToken } = await import("@/lib/auth/email-verification");
    const user = (await getUserByEmail({ email }))!;
    const link = await sendVerificationLink({ id: user.id, email });
    expect(info).toHaveBeenCalledWith(expect.stringContaining(link)); // no mail transport: the log has it
    info.mockRestore();
    const token = new URL(link).searchParams.get("token")!;
    expect(await verifyEmailToken(token)).toBe(user.id);
    expect(await verifyEmailToken(token)).toBeNull(); // single use
    expect((await getUserByEmail({ email }))!.role).toBe("admin");
  });

  it("a provider-verified identity reaching an unverified password account drops the password (pre-takeover)", async () => {
    const { signInWithIdentity } = await import("@/lib/auth/oauth-link");
    // The attacker registered the victim's address first, with a password.
    const email = await passwordUser();
    const victim = (await getUserByEmail({ email }))!;
    // An identity provider that does not vouch for the address gets nothing.
    expect(await signInWithIdentity({ provider: "oidc", email, name: null, verified: false })).toBeNull();
    expect((await passwordSignIn(app.url, email, PASSWORD)).ok).toBe(true);
    // The real owner signs in through a provider that verified it: same account, the password is gone.
    const owner = await signInWithIdentity({ provider: "oidc", email, name: "Owner", verified: true });
    expect(owner?.userId).toBe(victim.id);
    expect((await passwordSignIn(app.url, email, PASSWORD)).code).toBe("invalid_login");
    expect((await getUserByEmail({ email }))!.passwordHash).toBeNull();
    // Once verified, the account's password (set again later) is kept by further provider sign-ins.
    expect(await markEmailVerifiedByProvider({ userId: victim.id, email })).toBe(false);
  });
});
