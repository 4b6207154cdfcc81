import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./breaker";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("CircuitBreaker", () => {
  it("opens after consecutive failures, half-opens on a probe after the cool-down, closes on success", () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 500 }, c.now);
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    b.success(); // a success in between resets the count
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    b.failure();
    expect(b.state).toBe("open");
    expect(b.allows()).toBe(false);

    b.probe(true); // too early
    expect(b.state).toBe("open");
    c.advance(500);
    b.probe(false);
    expect(b.state).toBe("open");
    b.probe(true);
    expect(b.state).toBe("half-open");

    // One trial request at a time while half-open.
    expect(b.allows()).toBe(true);
    b.onDispatch();
    expect(b.allows()).toBe(false);
    b.success();
    expect(b.state).toBe("closed");
    expect(b.allows()).toBe(true);
  });

  it("re-opens when the half-open trial fails", () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 2, openMs: 100 }, c.now);
    b.failure();
    b.failure();
    c.advance(100);
    b.probe(true);
    expect(b.state).toBe("half-open");
    b.onDispatch();
    b.failure();
    expect(b.state).toBe("open");
    expect(b.openedAt).toBe(c.now());
  });

  it("ejects an idle replica whose health probes fail in a row", () => {
    const b = new CircuitBreaker({ failureThreshold: 2, openMs: 100 });
    b.probe(false);
    b.probe(true); // a good probe in between resets the count
    b.probe(false);
    expect(b.state).toBe("closed");
    b.probe(false);
    expect(b.state).toBe("open");
  });
});
