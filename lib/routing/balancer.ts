// Replica choice inside a pool, as pure functions over the healthy candidates and their loads:
//   round-robin — a counter per pool;
//   least-load  — the smallest load / weight;
//   affinity    — consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018): a
//                 conversation hashes to a point on a ring of virtual nodes and takes the first replica
//                 clockwise whose load stays within `bound` × the pool's average, so a conversation
//                 keeps its replica (and that replica's prefix cache) until it is much busier than the
//                 rest, and then spills to the next one on the ring, not to a random one.
import { createHash } from "node:crypto";

export type Strategy = "affinity" | "least-load" | "round-robin";

export interface Candidate {
  url: string;
  weight: number;
  load: number;
}

const VNODES = 64;

function hash32(text: string): number {
  return createHash("sha1").update(text).digest().readUInt32BE(0);
}

interface Ring {
  points: Uint32Array;
  owners: string[];
}

const rings = new Map<string, Ring>();

/** The ring for a set of replicas (cached by their URLs and weights). */
function ringFor(replicas: { url: string; weight: number }[]): Ring {
  const key = replicas.map((r) => `${r.url}*${r.weight}`).join("|");
  let ring = rings.get(key);
  if (!ring) {
    const nodes: { point: number; url: string }[] = [];
    for (const r of replicas) {
      const n = Math.max(1, Math.round(VNODES * r.weight));
      for (let i = 0; i < n; i++) nodes.push({ point: hash32(`${r.url}#${i}`), url: r.url });
    }
    nodes.sort((a, b) => a.point - b.point);
    ring = { points: Uint32Array.from(nodes.map((n) => n.point)), owners: nodes.map((n) => n.url) };
    if (rings.size > 1_000) rings.clear();
    rings.set(key, ring);
  }
  return ring;
}

/** Replicas in ring order starting at the key's point, each once (the key's preference list). */
export function preferenceOrder(key: string, replicas: { url: string; weight: number }[]): string[] {
  const ring = ringFor(replicas);
  const h = hash32(key);
  let lo = 0;
  let hi = ring.points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.points[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < ring.points.length && out.length < replicas.length; i++) {
    const url = ring.owners[(lo + i) % ring.points.length];
    if (!seen.has(url)) {
      seen.add(url);
      out.push(url);
    }
  }
  return out;
}

function leastLoaded(candidates: Candidate[]): Candidate {
  let best = candidates[0];
  for (const c of candidates) if (c.load / c.weight < best.load / best.weight) best = c;
  return best;
}

/**
 * `pool` is every configured replica (the ring must not move when one is ejected); `candidates` the
 * healthy ones with their loads. Returns the chosen URL.
 */
export function chooseReplica(args: {
  strategy: Strategy;
  pool: { url: string; weight: number }[];
  candidates: Candidate[];
  affinityKey?: string;
  bound: number;
  counter: () => number;
}): string {
  const { candidates } = args;
  if (candidates.length === 1) return candidates[0].url;
  if (args.strategy === "round-robin") return candidates[args.counter() % candidates.length].url;
  if (args.strategy === "least-load" || !args.affinityKey) return leastLoaded(candidates).url;
  const byUrl = new Map(candidates.map((c) => [c.url, c]));
  const total = candidates.reduce((s, c) => s + c.load, 0);
  const weights = candidates.reduce((s, c) => s + c.weight, 0);
  for (const url of preferenceOrder(args.affinityKey, args.pool)) {
    const c = byUrl.get(url);
    if (!c) continue;
    // The capacity of this replica with the new request counted in: bound × its weighted share.
    const capacity = Math.ceil((args.bound * (total + 1) * c.weight) / weights);
    if (c.load + 1 <= capacity) return url;
  }
  return leastLoaded(candidates).url;
}
