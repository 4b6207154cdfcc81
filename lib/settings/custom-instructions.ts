// Custom instructions: shared limits for the settings API and the settings page.
import { z } from "zod";

export const CUSTOM_INSTRUCTIONS_MAX = 1_500;

const field = z.string().max(CUSTOM_INSTRUCTIONS_MAX, `At most ${CUSTOM_INSTRUCTIONS_MAX} characters.`);

export const customInstructionsSchema = z.object({ about_me: field, response_style: field, enabled: z.boolean() });

export type CustomInstructionsJson = z.infer<typeof customInstructionsSchema>;
