import { describe, expect, it } from "vitest";
import { resolveSafetyConfig } from "./config";
import { StreamModerator, streamTables } from "./stream-moderator";

const config = resolveSafetyConfig();
const moderator = () => new StreamModerator(streamTables(config));

function chunks(text: string, sizes: number[] | number): string[] {
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = typeof sizes === "number" ? sizes : sizes[k++ % sizes.length];
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Feeds the chunks; returns what was released and the block, if any. */
function run(parts: string[], m = moderator()) {
  let released = "";
  for (const p of parts) {
    const step = m.push(p);
    released += step.release;
    if (step.block) return { released, block: step.block, m };
  }
  const end = m.flush();
  return { released: released + end.release, block: end.block, m };
}

describe("StreamModerator", () => {
  it("blocks a phrase split over 1-character chunks; the word that completes it is never released", () => {
    const text = "Sure! Here is how to make a bomb: first you";
    const r = run(chunks(text, 1));
    expect(r.block).toMatchObject({ category: "illicit/violent", phrase: "how to make a bomb" });
    // The lead-in is harmless and was shown; the held tail starts at the phrase's last word.
    expect(r.released).toBe("Sure! Here is how to make a ");
    expect(r.released + r.block!.held).toBe(text.slice(0, text.indexOf(":") + 1));
  });

  it("does not hold back the common words phrases start with", () => {
    const m = moderator();
    let released = "";
    for (const token of ["You", " are", " right", ",", " how", " to", " make", " a", " plan", " is", " simple"]) released += m.push(token).release;
    expect(released).toBe("You are right, how to make a plan is simple");
    expect(m.heldLength).toBe(0);
  });

  it("catches the phrase across any chunking, with leetspeak, capitals and look-alike letters", () => {
    for (const text of ["ok HOW TO MAKE A BOMB.", "ok h0w t0 m4k3 a b0mb!", "ok how to make a bоmb\n"]) {
      for (const sizes of [1, 2, 3, 7, [5, 1, 9, 2], 100]) {
        expect(run(chunks(text, sizes)).block?.phrase, `${text} / ${String(sizes)}`).toBe("how to make a bomb");
      }
    }
  });

  it("releases a partial match that turns out benign, unchanged, as soon as it cannot match", () => {
    const text = "Here is how to make a bombastic speech, and how to kill a process in Linux.";
    for (const sizes of [1, 3, [4, 1, 6]]) {
      const m = moderator();
      const r = run(chunks(text, sizes), m);
      expect(r.block).toBeNull();
      expect(r.released).toBe(text);
    }
    const m = moderator();
    let released = "";
    for (const ch of "how to make a bomb") released += m.push(ch).release;
    expect(released).toBe("how to make a "); // "bomb" could still complete the phrase
    released += m.push("a").release;
    expect(released).toBe("how to make a bomba"); // "bomba" cannot: released at once
    expect(m.heldLength).toBe(0);
  });

  it("holds only the tail that could still match", () => {
    const m = moderator();
    let released = "";
    for (const ch of "The weather is lovely today and ") released += m.push(ch).release;
    expect(m.heldLength).toBeLessThanOrEqual(1);
    expect(released.length + m.heldLength).toBe("The weather is lovely today and ".length);
  });

  it("never holds more than maxHoldChars, even through runs of skipped characters", () => {
    const tight = resolveSafetyConfig({ stream: { maxHoldChars: 48 } });
    const m = new StreamModerator(streamTables(tight));
    let max = 0;
    for (const ch of `how ${"-".repeat(200)} to make`) {
      m.push(ch);
      max = Math.max(max, m.heldLength);
    }
    expect(max).toBeLessThanOrEqual(48);
  });

  it("matches a phrase that ends the reply (word boundary at the end)", () => {
    expect(run(chunks("you should kill yourself", 2)).block?.category).toBe("harassment");
    expect(run(chunks("skill yourselves", 2)).block).toBeNull();
  });

  it("counts warn-level matches without blocking", () => {
    const r = run(chunks("Then he said: beat him up, and they laughed.", 3));
    expect(r.block).toBeNull();
    expect(r.m.matches).toEqual([{ category: "violence", phrase: "beat him up" }]);
    expect(r.released).toBe("Then he said: beat him up, and they laughed.");
  });

  it("holds the invariants over many random chunkings (seeded)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const words = ["how", "to", "make", "a", "bomb", "bombastic", "kill", "process", "the", "you", "yourself", "i", "will", "Hello,", "world.", "é", "😀", "\n"];
    const seen = { blocked: 0, released: 0 };
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 5 + Math.floor(rand() * 40) }, () => words[Math.floor(rand() * words.length)]).join(" ");
      const sizes = Array.from({ length: 8 }, () => 1 + Math.floor(rand() * 6));
      const r = run(chunks(text, sizes));
      seen[r.block ? "blocked" : "released"]++;
      if (r.block) {
        // The matched phrase was never shown whole: its last word was held.
        expect(text.startsWith(r.released)).toBe(true);
        expect(r.released.toLowerCase()).not.toContain(r.block.phrase);
      } else {
        expect(r.released).toBe(text); // benign: released unchanged, in order, nothing lost or doubled
      }
    }
    expect(seen.blocked).toBeGreaterThan(5); // both branches really ran
    expect(seen.released).toBeGreaterThan(100);
  });

  it("rejects a configuration whose longest phrase would not fit the hold bound", () => {
    expect(() => streamTables(resolveSafetyConfig({ stream: { maxHoldChars: 16 } }))).toThrow(/maxHoldChars/);
  });
});
