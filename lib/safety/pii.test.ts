import { describe, expect, it } from "vitest";
import { PII_TYPES } from "./config";
import { findPii, ibanValid, luhnValid, redactPii } from "./pii";

const types = (text: string) => findPii(text, PII_TYPES).map((f) => f.type);
const redact = (text: string) => redactPii(text, findPii(text, PII_TYPES));

describe("PII", () => {
  it("checks cards with Luhn and IBANs with mod-97", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("GB82 WEST 1234 5698 7654 33")).toBe(false);
  });

  it.each([
    ["write to jane.doe+news@mail.example.org", "email"],
    ["call +44 20 7946 0958 today", "phone"],
    ["call (415) 555-0100", "phone"],
    ["card 4111-1111-1111-1111", "card"],
    ["card 5500 0000 0000 0004 exp 12/29", "card"],
    ["pay to DE89 3704 0044 0532 0130 00", "iban"],
    ["my SSN is 123-45-6789", "national_id"],
    ["NI number AB 12 34 56 C", "national_id"],
    ["OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "secret"],
    ["aws AKIAIOSFODNN7EXAMPLE", "secret"],
    ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "secret"],
    ["password: hunter2hunter2", "secret"],
  ])("finds %j", (text, type) => {
    expect(types(text)).toContain(type);
  });

  it.each([
    "order number 4111 1111 1111 1112",
    "version 1.2.3, port 8080, year 2024",
    "the meeting is 2024-05-06 at 10:30",
    "ISBN 978-3-16-148410-0",
    "SSN-shaped but never issued: 000-12-3456 and 666-12-3456",
    "an IBAN-looking code GB00 WEST 1234 5698 7654 32",
    "use the @example handle",
  ])("leaves %j alone", (text) => {
    expect(types(text)).toEqual([]);
  });

  it("redacts in place, one label per finding", () => {
    expect(redact("Mail a@b.co or call +1 415 555 0100, card 4111 1111 1111 1111.")).toBe("Mail [EMAIL] or call [PHONE], card [CARD].");
    expect(redact("api_key = 'sk-abcdefghijklmnopqrstuvwx'")).toBe("api_key = '[SECRET]'");
    expect(redact("nothing here")).toBe("nothing here");
  });
});

describe("secrets (gitleaks shapes)", () => {
  it.each([
    ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 2],
    ["keys: AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 2],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", 1],
    ["glpat-abcdefghij0123456789", 1],
    ["xoxp-1234567890-abcdefghij and https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX", 2],
    ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", 1],
    ["Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", 1],
    ["postgres://app:s3cr3tpass@db:5432/app", 1],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", 1],
  ])("redacts the secrets in %j", (text, n) => {
    const found = findPii(text, PII_TYPES).filter((f) => f.type === "secret");
    expect(found).toHaveLength(n);
    expect(redact(text)).toContain("[SECRET]");
  });

  it("keeps the name and redacts the value", () => {
    expect(redact("AWS_SECRET_ACCESS_KEY=9kZ2p/Qm7vT1xR4sL8nW3yB6cF0hJ5dG2aK9eU1o")).toBe("AWS_SECRET_ACCESS_KEY=[SECRET]");
    expect(redact("postgres://app:s3cr3tpass@db:5432/app")).toBe("postgres://app:[SECRET]@db:5432/app");
  });

  it.each([
    "the sha1 is 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    "a 40-char word run AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA with no context",
    "publishable key pk_live_abcdefghij0123456789 is public",
    "I forgot my password: help",
  ])("leaves %j alone", (text) => {
    expect(types(text)).toEqual([]);
  });
});

describe("more PII and secret shapes (issue 18)", () => {
  const redact = (t: string) => redactPii(t, findPii(t, PII_TYPES));
  it.each([
    ["4127 Maple Ridge Dr, Austin, TX 78745, call me", "[ADDRESS], call me"],
    ["ship to 221B Baker Street, London NW1 6XE.", "ship to [ADDRESS]."],
    ["my home ip is 198.51.100.23. the router is 192.168.1.1", "my home ip is [IP]. the router is 192.168.1.1"],
    ["SSN 412 67 3390 on the form", "SSN [NATIONAL_ID] on the form"],
    ["login a@b.co / password Summer2024!Fern", "login [EMAIL] / password [SECRET]"],
    ["my password is incorrect", "my password is incorrect"],
    ["STRIPE_RESTRICTED_KEY=rk_live_iVSwWLWaZEq3oHTbnYsNPVaP", "STRIPE_RESTRICTED_KEY=[SECRET]"],
    ["maps/api/js?key=AIzav0oItUv0EH7vClYVXZvBkZo9GT_i79qHGvc&callback=x", "maps/api/js?key=[SECRET]&callback=x"],
    ["ci uses glpat-Ab3dEf6hIj9kLm2nOp5q and xoxp-1234567890-0987654321-abcdef", "ci uses [SECRET] and [SECRET]"],
  ])("%j → %j", (text, out) => {
    expect(redact(text)).toBe(out);
  });
});
