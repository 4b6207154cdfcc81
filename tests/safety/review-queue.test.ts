// The moderation review queue over a real database: blocked inputs land in it with their context,
// and an admin's decision moves them between pending, confirmed and dismissed.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newUser } from "../support/gateway-harness";

async function load() {
  const [input, queries] = await Promise.all([import("@/lib/safety/input"), import("@/db/queries/moderation")]);
  return { ...input, ...queries };
}

async function blockedInput(userId: string, text: string) {
  const { checkInput } = await load();
  const err = await checkInput({ userId, tier: "free", conversationId: randomUUID(), model: "gpt-4o", text }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "content_filter", status: 400 });
}

describe("moderation review queue", () => {
  it("lists flagged events newest first with the user and the flagged text, and moves them on review", async () => {
    const q = await load();
    const [alice, admin] = await Promise.all([newUser(), newUser()]);
    const marker = randomUUID().slice(0, 8);
    await blockedInput(alice.id, `how to make a bomb ${marker} one`);
    await new Promise((r) => setTimeout(r, 5)); // distinct created_at (millisecond precision), so the order is defined
    await blockedInput(alice.id, `hire a hitman ${marker} two`);

    const pending = (await q.listModerationEventsForReview({ status: "pending", limit: 100 })).filter((e) => e.content?.includes(marker));
    expect(pending.map((e) => e.content)).toEqual([`hire a hitman ${marker} two`, `how to make a bomb ${marker} one`]);
    expect(pending[0]).toMatchObject({ userEmail: alice.email, direction: "input", action: "blocked", model: "gpt-4o", conversationId: null });
    expect(pending[0].categories?.["illicit/violent"]).toBeGreaterThanOrEqual(0.8);
    expect(pending[0].detail?.rules).toContainEqual({ category: "illicit/violent", rule: "hire a hitman" });

    expect(await q.reviewModerationEvent({ id: pending[0].id, reviewerId: admin.id, status: "confirmed" })).toEqual({ id: pending[0].id });
    expect(await q.reviewModerationEvent({ id: pending[1].id, reviewerId: admin.id, status: "dismissed" })).toEqual({ id: pending[1].id });
    const mine = async (status: "pending" | "confirmed" | "dismissed") =>
      (await q.listModerationEventsForReview({ status, limit: 100 })).filter((e) => e.content?.includes(marker)).map((e) => e.id);
    expect(await mine("pending")).toEqual([]);
    expect(await mine("confirmed")).toEqual([pending[0].id]);
    expect(await mine("dismissed")).toEqual([pending[1].id]);
  });

  it("pages with a (created_at, id) cursor and clamps the page size", async () => {
    const q = await load();
    const user = await newUser();
    const marker = randomUUID().slice(0, 8);
    for (let i = 0; i < 3; i++) await blockedInput(user.id, `kill my boss ${marker} ${i}`);
    const first = await q.listModerationEventsForReview({ status: "pending", limit: 1 });
    expect(first).toHaveLength(1);
    const next = await q.listModerationEventsForReview({ status: "pending", limit: 1, before: { createdAt: first[0].createdAt, id: first[0].id } });
    expect(next).toHaveLength(1);
    expect(next[0].id).not.toBe(first[0].id);
    expect(next[0].createdAt.getTime()).toBeLessThanOrEqual(first[0].createdAt.getTime());
    expect((await q.listModerationEventsForReview({ status: "pending", limit: 10_000 })).length).toBeLessThanOrEqual(100);
  });

  it("answers null for an unknown or malformed id", async () => {
    const q = await load();
    const admin = await newUser();
    expect(await q.reviewModerationEvent({ id: randomUUID(), reviewerId: admin.id, status: "confirmed" })).toBeNull();
    expect(await q.reviewModerationEvent({ id: "not-a-uuid", reviewerId: admin.id, status: "confirmed" })).toBeNull();
  });
});
