// Step 6 of the pipeline: catalog model → pool (by tier) → replica. Weighted random for now;
// load- and cache-aware balancing comes with the routing work.
import { request } from "undici";
import type { CatalogModel, Pool, Tier } from "@/lib/models/catalog";
import { errors } from "@/lib/errors";

export interface Target {
  pool: string;
  replica: string;
  upstreamModel: string;
}

const discovered = new Map<string, Promise<string>>();

/** A pool without upstreamModel serves whatever the replica lists first at /v1/models (one vLLM model). */
function discoverModel(url: string): Promise<string> {
  let p = discovered.get(url);
  if (!p) {
    p = request(`${url.replace(/\/$/, "")}/v1/models`, { headersTimeout: 5_000, bodyTimeout: 5_000 })
      .then((res) => res.body.json() as Promise<{ data?: { id?: string }[] }>)
      .then((json) => {
        const id = json.data?.[0]?.id;
        if (!id) throw new Error("no models listed");
        return id;
      });
    p.catch(() => discovered.delete(url));
    discovered.set(url, p);
  }
  return p;
}

function poolFor(model: CatalogModel, tier: Tier): Pool {
  return model.pools.find((p) => !p.tiers || p.tiers.includes(tier)) ?? model.pools[0];
}

export async function selectTarget(model: CatalogModel, tier: Tier, random: () => number = Math.random): Promise<Target> {
  const pool = poolFor(model, tier);
  const total = pool.replicas.reduce((s, r) => s + r.weight, 0);
  let pick = random() * total;
  const replica = pool.replicas.find((r) => (pick -= r.weight) < 0) ?? pool.replicas[pool.replicas.length - 1];
  let upstreamModel = pool.upstreamModel;
  if (!upstreamModel) {
    try {
      upstreamModel = await discoverModel(replica.url);
    } catch (err) {
      throw errors.upstream("The model server is not reachable.", err, 503);
    }
  }
  return { pool: pool.name, replica: replica.url, upstreamModel };
}
