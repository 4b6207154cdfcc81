// Settings → Tools: which built-in tools a user has turned off, and why the others may be unavailable
// on this host (GET|PUT /api/settings/tools).
import { z } from "zod";
import { TOOLS, toolStatus } from "@/lib/tools/registry";

const TOOL_NAMES = TOOLS.map((t) => t.name) as [string, ...string[]];

export const toolSettingsSchema = z.object({
  disabled: z.array(z.enum(TOOL_NAMES)).max(TOOL_NAMES.length),
});

/** What Settings calls each tool, and what a user should know about it. */
const ABOUT: Record<string, { title: string; note: string }> = {
  python: { title: "Code interpreter", note: "Runs Python in a sandbox with the standard library only: numpy, pandas and matplotlib are not available." },
  web_search: { title: "Web search", note: "Searches the web with the provider this server is configured with." },
  fetch_url: { title: "Read web pages", note: "Opens a link and reads the page; replies cite only pages it read." },
  generate_image: { title: "Image generation", note: "Draws an image from a description." },
};

export interface ToolSettingJson {
  name: string;
  title: string;
  note: string;
  enabled: boolean;
  /** Null when this host can run it; else why not ("no search provider is configured"). */
  unavailable: string | null;
}

export function toolSettingsJson(disabled: readonly string[]): { tools: ToolSettingJson[] } {
  return {
    tools: toolStatus().map((t) => ({
      name: t.name,
      title: ABOUT[t.name]?.title ?? t.label,
      note: ABOUT[t.name]?.note ?? "",
      enabled: !disabled.includes(t.name),
      unavailable: t.availability.ok ? null : t.availability.reason,
    })),
  };
}
