// Verification links are built on a configured origin, never on a request's headers (review finding
// 6): AUTH_URL when it is set, otherwise the address the server listens on. The link goes to the
// log for the operator (or a mail hook) to pass on; a Host: attacker.example registration used to put
// the token on the attacker's host. Real database, the real link and its single-use token.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { hardeningEnv } from "./app";

hardeningEnv();

const { closeDb } = await import("@/db");
const { createUser } = await import("@/db/queries/users");
const { resetEnvForTests } = await import("@/lib/env");
const { appOrigin, sendVerificationLink, verifyEmailToken } = await import("@/lib/auth/email-verification");

afterAll(() => closeDb());
afterEach(() => {
  for (const k of ["AUTH_URL", "PORT", "HOST"]) delete process.env[k];
  resetEnvForTests();
});

function configure(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvForTests();
}

async function linkFor(): Promise<{ link: URL; userId: string; logged: string }> {
  const email = `v-${randomUUID().slice(0, 8)}@example.test`;
  const user = await createUser({ email, name: null, passwordHash: null, isGuest: false });
  const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
  const link = await sendVerificationLink({ id: user.id, email });
  const logged = info.mock.calls.map((c) => String(c[0])).join("\n");
  info.mockRestore();
  return { link: new URL(link), userId: user.id, logged };
}

describe("verification links", () => {
  it("use AUTH_URL when it is set", async () => {
    configure({ AUTH_URL: "https://chat.example.com/" });
    const { link, userId, logged } = await linkFor();
    expect(link.origin).toBe("https://chat.example.com");
    expect(link.pathname).toBe("/verify-email");
    expect(logged).toContain(link.href);
    expect(await verifyEmailToken(link.searchParams.get("token")!)).toBe(userId);
  });

  it("without AUTH_URL, use the server's own address: localhost on the port it listens on, or the host it was given", async () => {
    configure({ PORT: "4321", HOST: "0.0.0.0" });
    expect((await linkFor()).link.origin).toBe("http://localhost:4321");
    configure({ HOST: "10.1.2.3" });
    expect(appOrigin()).toBe("http://10.1.2.3:4321");
    configure({ HOST: "::" });
    expect(appOrigin()).toBe("http://localhost:4321");
  });

  it("take no origin from the caller at all", () => {
    // The request's Host used to be passed in here; the function no longer has anywhere to put it.
    expect(sendVerificationLink.length).toBe(1);
  });
});
