// A/B experiments from the catalog configuration (DESIGN §7). Assignment is a pure function of the
// user id and the experiment name (SHA-256 → two uniform numbers: one decides enrolment against the
// traffic share, the other picks a variant by weight), so it is sticky across requests, instances and
// restarts without storing anything, and independent between experiments.
import { createHash } from "node:crypto";
import { getCatalog, type Experiment, type ExperimentVariant, type Tier } from "@/lib/models/catalog";

export interface Assignment {
  experiment: string;
  variant: ExperimentVariant;
}

/** Two independent uniforms in [0, 1) from one hash (48 bits each). */
export function unitPair(text: string): [number, number] {
  const d = createHash("sha256").update(text).digest();
  return [d.readUIntBE(0, 6) / 2 ** 48, d.readUIntBE(6, 6) / 2 ** 48];
}

/** The user's variant of one experiment, or null when the user is outside its traffic share. */
export function assignVariant(userId: string, experiment: Experiment): ExperimentVariant | null {
  const [enrol, pick] = unitPair(`${experiment.name}:${userId}`);
  if (enrol >= experiment.share) return null;
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  let at = pick * total;
  for (const v of experiment.variants) {
    at -= v.weight;
    if (at < 0) return v;
  }
  return experiment.variants[experiment.variants.length - 1];
}

/** The first configured experiment on this model and tier that enrols this user. */
export function experimentFor(
  user: { id: string; tier: Tier },
  modelId: string,
  experiments: Experiment[] = getCatalog().experiments,
): Assignment | null {
  for (const x of experiments) {
    if (x.model !== modelId || !x.tiers.includes(user.tier)) continue;
    const variant = assignVariant(user.id, x);
    if (variant) return { experiment: x.name, variant };
  }
  return null;
}
