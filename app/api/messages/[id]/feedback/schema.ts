import { z } from "zod";

/** PUT body: the vote, or null to withdraw it. */
export const feedbackBodySchema = z.object({ rating: z.enum(["good", "bad"]).nullable() });
