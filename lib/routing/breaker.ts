// Circuit breaker for one replica (closed → open → half-open → closed). Passive: consecutive request
// failures open it; active: a successful /health probe moves an open breaker whose cool-down has passed
// to half-open, and the next request (or probe) success closes it. Hand-written: the breakers on npm
// (opossum, cockatiel) wrap a function call, but here the outcome of a streamed request is reported
// later by the gateway and the probe loop must drive the state too, so this is a small state machine.

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** Minimum time open before a probe may half-open it. */
  openMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, openMs: 2_000 };

export class CircuitBreaker {
  state: BreakerState = "closed";
  consecutiveFailures = 0;
  openedAt = 0;
  /** Consecutive failed health probes (counted apart from requests: a good probe resets only these). */
  probeFailures = 0;
  /** A trial request is out while half-open: only one at a time. */
  private trialOut = false;

  constructor(
    private readonly opts: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  /** May a request be sent? In half-open, exactly one trial request is let through. */
  allows(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "half-open" && !this.trialOut) return true;
    return false;
  }

  /** Call when a request is actually sent (claims the half-open trial). */
  onDispatch(): void {
    if (this.state === "half-open") this.trialOut = true;
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.trialOut = false;
    this.state = "closed";
  }

  failure(): void {
    this.trialOut = false;
    this.consecutiveFailures++;
    if (this.state === "half-open" || this.consecutiveFailures >= this.opts.failureThreshold) {
      if (this.state !== "open") this.openedAt = this.now();
      this.state = "open";
    }
  }

  /** Active health probe result. Success re-admits an open breaker (after openMs) as half-open. */
  probe(ok: boolean): void {
    if (!ok) {
      // Consecutive failed probes eject an idle replica that no request has found dead yet.
      this.probeFailures++;
      if (this.state === "half-open" || (this.state === "closed" && this.probeFailures >= this.opts.failureThreshold)) {
        this.state = "open";
        this.openedAt = this.now();
        this.trialOut = false;
      }
      return;
    }
    this.probeFailures = 0;
    if (this.state === "open" && this.now() - this.openedAt >= this.opts.openMs) {
      this.state = "half-open";
      this.trialOut = false;
    }
    // A closed breaker's failure count is left alone: a replica that answers /health but fails
    // requests stays suspect until a request succeeds.
  }
}
