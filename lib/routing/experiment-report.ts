// The admin page's view of the experiments: per variant figures, rates, and the feedback rate's
// two-proportion z-test against the experiment's first configured variant (the control).
import type { VariantStatsRow } from "@/db/queries/experiments";
import type { Experiment } from "@/lib/models/catalog";
import { twoProportionZTest, type ZTest } from "./stats";

export interface VariantReport extends VariantStatsRow {
  /** Good votes / all votes; null without votes. */
  goodRate: number | null;
  /** Replies with a vote / replies. */
  voteRate: number;
  regenerateRate: number;
  /** Against the control; null for the control itself or without votes. */
  test: ZTest | null;
}

export interface ExperimentReport {
  name: string;
  model: string | null;
  share: number | null;
  /** False for an experiment seen in the ledger but no longer configured. */
  configured: boolean;
  control: string;
  variants: VariantReport[];
}

export function buildExperimentReports(rows: VariantStatsRow[], configured: Experiment[]): ExperimentReport[] {
  const names = [...new Set([...configured.map((x) => x.name), ...rows.map((r) => r.experiment)])];
  return names.map((name) => {
    const cfg = configured.find((x) => x.name === name);
    const seen = rows.filter((r) => r.experiment === name);
    const order = cfg ? cfg.variants.map((v) => v.name) : seen.map((r) => r.variant);
    const all = [...new Set([...order, ...seen.map((r) => r.variant)])];
    const control = all[0] ?? "";
    const stats = (variant: string): VariantStatsRow =>
      seen.find((r) => r.variant === variant) ?? {
        experiment: name,
        variant,
        requests: 0,
        ttftP50Ms: null,
        ttftP99Ms: null,
        tokensPerReply: null,
        costUsd: 0,
        good: 0,
        bad: 0,
        regenerated: 0,
      };
    const base = stats(control);
    const variants = all.map((variant) => {
      const s = stats(variant);
      const votes = s.good + s.bad;
      return {
        ...s,
        goodRate: votes ? s.good / votes : null,
        voteRate: s.requests ? votes / s.requests : 0,
        regenerateRate: s.requests ? s.regenerated / s.requests : 0,
        test: variant === control ? null : twoProportionZTest(s.good, votes, base.good, base.good + base.bad),
      };
    });
    return { name, model: cfg?.model ?? null, share: cfg?.share ?? null, configured: !!cfg, control, variants };
  });
}
