// Background work (titles, summaries) routes through the same router as replies; see lib/routing/router.ts.
import type { CatalogModel, Tier } from "@/lib/models/catalog";
import { pickTarget, type Target } from "@/lib/routing/router";

export type { Target } from "@/lib/routing/router";

export function selectTarget(model: CatalogModel, tier: Tier): Promise<Target> {
  return pickTarget(model, tier);
}
