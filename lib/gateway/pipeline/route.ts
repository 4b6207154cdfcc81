// Step 7: where the request goes. "auto" cascade (a local classifier picks the cheap or the strong
// model; the pick counts against its own cap on every door) → A/B experiment variant (assigned
// before step 6, since a variant may bring its own system prompt) → pool by tier → replica (load,
// conversation affinity, circuit breaker; lib/routing) → priority under load (free-tier requests
// wait behind paid ones while the pool is saturated). Retry before the first token is stream.ts's.
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { tierLimits } from "@/lib/limits/config";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import { priorityGate } from "@/lib/limits/priority-gate";
import { findModel, type CatalogModel } from "@/lib/models/catalog";
import { classify } from "@/lib/routing/cascade";
import { experimentFor, type Assignment } from "@/lib/routing/experiments";
import { pickTarget, type Target } from "@/lib/routing/router";
import type { UpstreamMessage } from "../context";
import { countMessage, type LimitPolicy } from "./admit";
import type { Turn } from "./turn";

/** The experiment this user is in for `model` (sticky hash, nothing stored), and the model as the variant shapes it. */
export function assignExperiment(user: SessionUser, model: CatalogModel): { assignment: Assignment | null; model: CatalogModel } {
  const assignment = experimentFor(user, model.id);
  const prompt = assignment?.variant.systemPrompt;
  return { assignment, model: prompt === undefined ? model : { ...model, systemPrompt: prompt } };
}

/** The model that will answer: the cascade's pick for "auto", else the model itself. */
export function cascadeModel(model: CatalogModel, messages: UpstreamMessage[]): CatalogModel {
  if (!model.cascade) return model;
  const users = messages.filter((m) => m.role === "user");
  const last = users[users.length - 1];
  const decision = classify({ text: last?.content ?? "", depth: users.length, attachments: last?.parts?.length ?? 0 });
  return findModel(decision.tier === "cheap" ? model.cascade.cheap : model.cascade.strong) ?? model;
}

export interface Routed {
  /** The catalog model that answers (cascade pick, tier fallback). */
  model: CatalogModel;
  target: Target | null;
  /** Why there is no target (a chat turn saves it as the reply's error; the API answers it). */
  failure: AppError | null;
  /** Set when the cascade's pick was used up and a fallback answers. */
  notice: LimitNotice | null;
}

export async function route(
  turn: Turn,
  args: { model: CatalogModel; messages: UpstreamMessage[]; assignment: Assignment | null; affinityKey: string; policy: LimitPolicy },
): Promise<Routed> {
  const { model: answering, notice } = await cascade(turn, args.model, args.messages, args.policy);
  const tier = turn.user.tier;
  try {
    const target = withVariant(await pickTarget(answering, tier, { affinityKey: args.affinityKey, poolName: args.assignment?.variant.pool }), answering, args.assignment);
    await priorityGate().admit(target.pool, tierLimits(tier).priority);
    return { model: answering, target, failure: null, notice };
  } catch (err) {
    const failure = err instanceof AppError ? err : errors.upstream("No model server is available.", err, 503);
    return { model: answering, target: null, failure, notice };
  }
}

/**
 * "auto": the pick is counted against its own cap (else "auto" would be a way around it). When the
 * pick is used up: the chat's tier fallback answers with its notice; failing that (and always on the
 * API, which never swaps to an unrelated model) the cascade's cheap model, counted as well.
 */
async function cascade(turn: Turn, model: CatalogModel, messages: UpstreamMessage[], policy: LimitPolicy) {
  const pick = cascadeModel(model, messages);
  if (!model.cascade || pick.id === model.id) return { model: pick, notice: null };
  try {
    return await countMessage(turn, pick, policy);
  } catch (err) {
    const cheap = findModel(model.cascade.cheap);
    if (!cheap || cheap.id === pick.id) throw err;
    return countMessage(turn, cheap, policy);
  }
}

/** A variant's upstream model replaces the pool's, for the model it was configured on. */
export function withVariant(target: Target, model: CatalogModel, assignment: Assignment | null): Target {
  const upstream = assignment?.variant.upstreamModel;
  return upstream && target.model === model.id ? { ...target, upstreamModel: upstream } : target;
}
