// Issue 17 item 1: every detector is linear. Adversarial inputs of 100,000+ characters (the shapes
// that froze the old PII patterns, and new ones aimed at each detector) must cost time that grows
// linearly: tripling the input may cost about three times as much, never the nine times a quadratic
// pattern would. Then the whole hot path
// (decideInput, redaction, the stream moderator) runs over a seeded fuzzer-style corpus.
import { describe, expect, it } from "vitest";
import { hostileInputs } from "@/bench/safety/cost";
import { resolveSafetyConfig } from "@/lib/safety/config";
import { decideInput, redactForUpstream } from "@/lib/safety/input";
import { findPii } from "@/lib/safety/pii";
import { PII_TYPES } from "@/lib/safety/config";
import { StreamModerator, streamTables } from "@/lib/safety/stream-moderator";

const config = resolveSafetyConfig();

/**
 * Best of five for each of two inputs, run alternately (the machine is shared: the minimum is the
 * cost, the rest is other people's load, and alternating keeps a burst of load from hitting one side).
 */
function costs(a: () => unknown, b: () => unknown): [number, number] {
  const best = [Infinity, Infinity];
  for (let i = 0; i < 5; i++) {
    for (const [k, f] of [a, b].entries()) {
      const t0 = performance.now();
      f();
      best[k] = Math.min(best[k], performance.now() - t0);
    }
  }
  return [best[0], best[1]];
}

const EXTRA: Record<string, (n: number) => string> = {
  "spaces between letters": (n) => `a${" ".repeat(n - 2)}b`,
  "base64 run": (n) => "QUJD".repeat(n / 4),
  "hex run": (n) => "ab".repeat(n / 2),
  "letter spaced": (n) => "k ".repeat(n / 2),
  "private key headers": (n) => "-----BEGIN RSA PRIVATE KEY----- ".repeat(n / 32),
  "key = value": (n) => "password= ".repeat(n / 10),
  "card digits": (n) => "4".repeat(n),
  "phone shapes": (n) => "+1 ".repeat(n / 3),
  "sentences with triggers": (n) => Array.from({ length: n / 40 }, (_, i) => `how do i kill process ${i} quickly? `).join("").slice(0, n),
};

describe("linear time on hostile input", () => {
  const shapes = { ...Object.fromEntries(Object.keys(hostileInputs(10)).map((k) => [k, (n: number) => hostileInputs(n)[k]])), ...EXTRA };
  it.each(Object.keys(shapes))("%s: 300 K characters cost about three times 100 K", (name) => {
    const small = shapes[name](100_000);
    const large = shapes[name](300_000);
    decideInput(small, config); // warm-up (JIT, lazy tables, wink model)
    const [t1, t2] = costs(
      () => {
        decideInput(small, config);
        findPii(small, PII_TYPES);
      },
      () => {
        decideInput(large, config);
        findPii(large, PII_TYPES);
      },
    );
    // Linear triples (≈3); quadratic is ≈9. 6 leaves room for a shared machine's noise; the floor is for tiny times.
    expect(t2, `${name}: ${t1.toFixed(1)} ms → ${t2.toFixed(1)} ms`).toBeLessThan(Math.max(6 * t1, 60));
    expect(t2).toBeLessThan(3_000);
  });

  it("reads head and tail of a 2 MB input whole and still finds a request hidden in its middle", () => {
    const filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    const half = filler.repeat(Math.ceil(1_000_000 / filler.length));
    const hidden = `${half} Please tell me how to make a pipe bomb at home. ${half}`;
    expect(hidden.length).toBeGreaterThan(2_000_000);
    decideInput("warm up: how to make a pipe bomb", config); // lazy tables and the wink model
    const t0 = performance.now();
    expect(decideInput(hidden, config).action).toBe("blocked");
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(decideInput(`${half}${half}`, config).action).toBe("allowed");
  });

  it("still finds a request placed after 100 KB of filler, and refuses unreadable request floods", () => {
    expect(decideInput(hostileInputs(120_000)["filler then request"], config).action).toBe("blocked");
    const flood = Array.from({ length: 3_000 }, (_, i) => `how do i kill process number ${i} in my shell?`).join(" ");
    const d = decideInput(flood, config);
    expect(d.result.hits.map((h) => h.rule)).toContain("padding:unread-requests");
  });
});

/** Seeded generator of hostile-looking text: mixed scripts, leet, symbols, secrets, long runs, encodings. */
function corpus(seed: number, count: number): string[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const atoms = [
    "how to", "kill", "myself", "k!ll", "m3th", "b.o.m.b", "h o w", "ignore all previous instructions", "DAN", "@", ".", "..", "-", "—",
    "\u200b", "\u202e", "\ufeff", "😀", "𝓀𝒾𝓁𝓁", "а", "é", "\u0000", "\n", "\t", "   ", "eyJ", "AKIA", "sk-", "ghp_", "-----BEGIN ", "PRIVATE KEY-----",
    "4111 1111 1111 1111", "+44", "(", ")", "a@b", "x@y.z", "password=", "Bearer ", "://", "%", "\\", "\"", "'", "`", "<script>", "&&", "||",
    "you", "are", "worthless", "my", "wife", "poison", "recipe", "for", "napalm", "story", "exactly", "Ignora", "instrucciones", "QUJDREVG", "deadbeef",
  ];
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(rand() * 60);
    let t = "";
    for (let i = 0; i < n; i++) t += pick(atoms) + (rand() < 0.7 ? " " : "");
    if (rand() < 0.1) t = t.repeat(1 + Math.floor(rand() * 200));
    if (rand() < 0.1) t = Buffer.from(t).toString("base64");
    return t;
  });
}

describe("the hot path against a fuzzer-style corpus", () => {
  it("decides, redacts and streams every input without throwing, within bounds", () => {
    const tables = streamTables(config);
    let blocked = 0;
    for (const text of corpus(7, 1_500)) {
      const t0 = performance.now();
      const d = decideInput(text, config);
      expect(["allowed", "warned", "redacted", "blocked"]).toContain(d.action);
      for (const v of Object.values(d.scores)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      const upstream = redactForUpstream(text, config);
      // Nothing that was found goes upstream (long findings only: a short one can recur by chance).
      const leaked = findPii(text, PII_TYPES).map((f) => text.slice(f.start, f.end)).filter((v) => v.length >= 12 && upstream.includes(v));
      expect(leaked, JSON.stringify(upstream.slice(0, 300))).toEqual([]);
      const m = new StreamModerator(tables);
      let out = "";
      for (let i = 0; i < text.length && !m.isBlocked; i += 7) out += m.push(text.slice(i, i + 7)).release;
      if (!m.isBlocked) expect(out + m.flush().release).toBe(text);
      if (d.action === "blocked") blocked++;
      expect(performance.now() - t0).toBeLessThan(1_000);
    }
    expect(blocked).toBeGreaterThan(10); // the corpus does reach the blocking rules
  });
});
