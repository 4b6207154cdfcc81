// Step 3: admission. The model must be offered to the user's tier; the usage limits (lib/limits)
// count the message against the model's cap (the chat may hand a used-up model to the tier's
// fallback, with a notice; the public API answers 429 instead), the API's requests per minute, and
// the user's replies at once (a stream slot). Priority under load needs the pool, so it is
// checked where the pool is chosen (route.ts).
import { randomUUID } from "node:crypto";
import { errors } from "@/lib/errors";
import {
  admitApiModel,
  admitApiRequest,
  admitChatModel,
  holdStreamSlot,
  type LimitNotice,
} from "@/lib/limits/usage-limits";
import { findModel, type CatalogModel } from "@/lib/models/catalog";
import type { SessionUser } from "@/lib/auth/session-user";
import type { Turn } from "./turn";

/** "chat": the browser and the conversation API (fallback model at a cap); "api": /v1/chat/completions. */
export type LimitPolicy = "chat" | "api";

export interface Admission {
  /** The model that will be asked (the tier's fallback when the requested one is used up). */
  model: CatalogModel;
  notice: LimitNotice | null;
  /** x-ratelimit-* headers (the public API). */
  headers: Record<string, string>;
}

export function resolveModel(id: string, user: SessionUser): CatalogModel {
  const model = findModel(id);
  if (!model || !model.tiers.includes(user.tier)) {
    throw errors.badRequest(`The model "${id}" is not available.`, "model_not_found", "model");
  }
  return model;
}

export async function admit(turn: Turn, modelId: string, policy: LimitPolicy): Promise<Admission> {
  const requested = resolveModel(modelId, turn.user);
  const headers = policy === "api" ? await admitApiRequest(turn.user) : {};
  const counted = await countMessage(turn, requested, policy);
  // The lease id is ours, never the client's: a request can only ever release the slot it holds.
  const release = await holdStreamSlot(turn.user, randomUUID());
  turn.finally(release);
  return { model: counted.model, notice: counted.notice, headers };
}

/**
 * Counts one message against `model`'s cap and registers its refund (given back if the turn fails
 * before anything is generated). Used here and by the "auto" cascade for its pick (route.ts), so
 * every door counts the model that answers.
 */
export async function countMessage(
  turn: Turn,
  model: CatalogModel,
  policy: LimitPolicy,
): Promise<{ model: CatalogModel; notice: LimitNotice | null }> {
  if (policy === "api") {
    turn.defer(await admitApiModel(turn.user, model));
    return { model, notice: null };
  }
  const admitted = await admitChatModel(turn.user, model);
  turn.defer(admitted.refund);
  return { model: admitted.model, notice: admitted.notice };
}
