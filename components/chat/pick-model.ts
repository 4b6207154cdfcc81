import type { UiModel } from "@/lib/models/catalog";

/** The first of `preferred` that this user may use, else their first model (the picker needs a value). */
export function pickModel(models: readonly UiModel[], ...preferred: (string | null | undefined)[]): string {
  for (const id of preferred) if (id && models.some((m) => m.id === id)) return id;
  return models[0]?.id ?? preferred.find((id): id is string => Boolean(id)) ?? "";
}
