// Fault injection (DESIGN §3). One syntax everywhere: `key=value;key=value`, given by
//   - the server config `faults` (applies to every request; benchmarks use it),
//   - the request header `x-sim-fault`,
//   - a directive `[[sim:key=value;…]]` inside the last user message (only with `faultDirectives`).
// Later sources override earlier ones key by key (config < header < directive).
//
// Keys:
//   status=N               answer HTTP N with a vLLM error body instead of generating (retry_after=S adds Retry-After)
//   fail_after=N           after N content tokens send an error frame, then end the stream (no finish, no [DONE])
//   error_code=int|string  the error frame's code: 500 (vLLM) or "internal_error"
//   reset_after=N          destroy the socket after N tokens
//   stall_after=N          send nothing more after N tokens; hold the connection until the client leaves
//   no_finish=1            end with [DONE] but never send a finish_reason chunk
//   slow_first_token_ms=N  add N ms before the first token
// A fault "after N tokens" only fires if the reply is longer than N tokens.

export interface FaultPlan {
  status?: number;
  retryAfter?: number;
  failAfter?: number;
  errorCode: "int" | "string";
  resetAfter?: number;
  stallAfter?: number;
  noFinish: boolean;
  slowFirstTokenMs: number;
}

export type HaltKind = "fail" | "reset" | "stall";

export class FaultSpecError extends Error {}

const NO_FAULTS: FaultPlan = { errorCode: "int", noFinish: false, slowFirstTokenMs: 0 };

function count(key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new FaultSpecError(`${key} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** Parses `key=value;key=value` into the keys it sets; throws FaultSpecError on anything unknown. */
export function parseFaultSpec(spec: string): Partial<FaultPlan> {
  const out: Partial<FaultPlan> = {};
  for (const part of spec.split(/[;,]/)) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf("=");
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "1" : item.slice(eq + 1).trim();
    switch (key) {
      case "status": {
        const status = count(key, value);
        if (status < 400 || status > 599) throw new FaultSpecError(`status must be 400–599, got ${status}`);
        out.status = status;
        break;
      }
      case "retry_after":
        out.retryAfter = count(key, value);
        break;
      case "fail_after":
        out.failAfter = count(key, value);
        break;
      case "error_code":
        if (value !== "int" && value !== "string") throw new FaultSpecError(`error_code must be int or string`);
        out.errorCode = value;
        break;
      case "reset_after":
        out.resetAfter = count(key, value);
        break;
      case "stall_after":
        out.stallAfter = count(key, value);
        break;
      case "no_finish":
        out.noFinish = value === "1" || value === "true";
        break;
      case "slow_first_token_ms":
        out.slowFirstTokenMs = count(key, value);
        break;
      default:
        throw new FaultSpecError(`unknown fault key "${key}"`);
    }
  }
  return out;
}

const DIRECTIVE = /\[\[sim:([^\]]*)\]\]/g;

/** The fault specs of every `[[sim:…]]` directive in a text, joined; null when there is none. */
export function findDirectives(text: string): string | null {
  const specs: string[] = [];
  for (const match of text.matchAll(DIRECTIVE)) specs.push(match[1]);
  return specs.length ? specs.join(";") : null;
}

/** Merges the sources in precedence order (later wins); null/undefined sources are skipped. */
export function resolveFaults(...specs: (string | null | undefined)[]): FaultPlan {
  let plan = NO_FAULTS;
  for (const spec of specs) {
    if (spec) plan = { ...plan, ...parseFaultSpec(spec) };
  }
  return plan;
}

/** The earliest token count at which the stream must stop normally, and why; null if none. */
export function haltPoint(plan: FaultPlan): { at: number; kind: HaltKind } | null {
  let best: { at: number; kind: HaltKind } | null = null;
  const consider = (at: number | undefined, kind: HaltKind) => {
    if (at !== undefined && (best === null || at < best.at)) best = { at, kind };
  };
  consider(plan.failAfter, "fail");
  consider(plan.resetAfter, "reset");
  consider(plan.stallAfter, "stall");
  return best;
}
