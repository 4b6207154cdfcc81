// The labelled prompt set for the "auto" cascade (tests/fixtures/routing-prompts.json), typed.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  prompts: z.array(
    z.object({
      text: z.string().min(1),
      label: z.enum(["cheap", "strong"]),
      depth: z.number().int().positive().default(1),
      attachments: z.number().int().nonnegative().default(0),
    }),
  ),
});

export type LabelledPrompt = z.infer<typeof schema>["prompts"][number];

export function loadLabelledPrompts(root = process.cwd()): LabelledPrompt[] {
  const file = path.join(root, "tests/fixtures/routing-prompts.json");
  return schema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).prompts;
}
