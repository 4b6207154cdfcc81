import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "../index";
import { createApiKey, getActiveApiKeyByHash, listApiKeysByUserId, revokeApiKey } from "../queries/api-keys";
import { getUsageTotalsByUserId, insertUsageEvent } from "../queries/usage";
import { newUser } from "./helpers";

afterAll(closeDb);

const hash = () => randomUUID().replace(/-/g, "").padEnd(64, "0");

describe("api keys", () => {
  it("are listed for their owner only, found by hash with their user, and gone at once when revoked", async () => {
    const owner = await newUser();
    const other = await newUser();
    const keyHash = hash();
    const key = await createApiKey({ userId: owner.id, name: "ci", keyHash, hint: "sk-…abcd" });
    await createApiKey({ userId: other.id, name: "theirs", keyHash: hash(), hint: "sk-…wxyz" });

    expect((await listApiKeysByUserId({ userId: owner.id })).map((k) => k.name)).toEqual(["ci"]);
    const found = await getActiveApiKeyByHash({ keyHash });
    expect(found).toMatchObject({ keyId: key.id, keyHash, user: { id: owner.id } });
    const [listed] = await listApiKeysByUserId({ userId: owner.id });
    expect(listed.lastUsedAt).toBeInstanceOf(Date);

    expect(await revokeApiKey({ id: key.id, userId: other.id })).toBe(false); // not theirs
    expect(await revokeApiKey({ id: "not-a-uuid", userId: owner.id })).toBe(false);
    expect(await revokeApiKey({ id: key.id, userId: owner.id })).toBe(true);
    expect(await revokeApiKey({ id: key.id, userId: owner.id })).toBe(false); // already revoked
    expect(await getActiveApiKeyByHash({ keyHash })).toBeNull();
    expect(await listApiKeysByUserId({ userId: owner.id })).toEqual([]);
  });

  it("refuse a duplicate hash", async () => {
    const user = await newUser();
    const keyHash = hash();
    await createApiKey({ userId: user.id, name: "a", keyHash, hint: "sk-…0000" });
    await expect(createApiKey({ userId: user.id, name: "b", keyHash, hint: "sk-…0000" })).rejects.toThrow();
  });
});

describe("usage totals", () => {
  it("count a month's events exactly, across the partition boundary at midnight UTC", async () => {
    const user = await newUser();
    const now = new Date();
    const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const monthAfter = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    const event = (createdAt: Date, promptTokens: number | null, estimated = 0) => ({
      userId: user.id,
      model: "gpt-4o",
      promptTokens,
      estimatedPromptTokens: estimated,
      completionTokens: 5,
      costUsd: 0.25,
      createdAt,
    });
    await insertUsageEvent(event(thisMonth, 10));
    await insertUsageEvent(event(new Date(nextMonth.getTime() - 1), null, 7)); // no upstream count: the estimate
    await insertUsageEvent(event(nextMonth, 100));
    await insertUsageEvent({ ...event(thisMonth, 1_000), userId: (await newUser()).id }); // someone else

    expect(await getUsageTotalsByUserId({ userId: user.id, from: thisMonth, to: nextMonth })).toEqual({
      replies: 2,
      promptTokens: 17,
      completionTokens: 10,
      costUsd: 0.5,
    });
    expect(await getUsageTotalsByUserId({ userId: user.id, from: nextMonth, to: monthAfter })).toMatchObject({ replies: 1, promptTokens: 100 });
  });
});
