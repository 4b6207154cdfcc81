"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Switch } from "@/components/ui/switch";
import type { ToolSettingJson } from "@/lib/settings/tools";
import { SettingsSection } from "./settings-section";

async function saveDisabled(disabled: string[]): Promise<{ tools: ToolSettingJson[] }> {
  const res = await fetch("/api/settings/tools", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ disabled }),
  });
  if (!res.ok) throw new Error("Could not save the tool settings.");
  return (await res.json()) as { tools: ToolSettingJson[] };
}

/** The "Tools" section of /settings: each built-in tool on or off; an unavailable one says why. */
export function ToolsSection({ initial }: { initial: ToolSettingJson[] }) {
  const [tools, setTools] = useState(initial);
  const save = useMutation({ mutationFn: saveDisabled, onSuccess: (body) => setTools(body.tools) });
  const toggle = (name: string, enabled: boolean) => {
    const next = tools.map((t) => (t.name === name ? { ...t, enabled } : t));
    setTools(next);
    save.mutate(next.filter((t) => !t.enabled).map((t) => t.name));
  };
  return (
    <SettingsSection title="Tools" description="What the assistant may use while it answers, with models that can use tools.">
      <ul className="mt-5 divide-y divide-border">
        {tools.map((t) => (
          <li key={t.name} className="flex items-start justify-between gap-4 py-3">
            <div className="min-w-0">
              <h3 id={`tool-${t.name}`} className="text-sm font-medium">
                {t.title}
              </h3>
              <p className="mt-0.5 text-sm text-muted-foreground">{t.note}</p>
              {t.unavailable ? (
                <p role="note" className="mt-1 text-sm text-danger">
                  Unavailable on this server: {t.unavailable}.
                </p>
              ) : null}
            </div>
            <Switch
              aria-labelledby={`tool-${t.name}`}
              checked={t.enabled && !t.unavailable}
              disabled={Boolean(t.unavailable) || save.isPending}
              onCheckedChange={(on) => toggle(t.name, on)}
            />
          </li>
        ))}
      </ul>
      {save.isError ? <ErrorAlert message={save.error.message} className="mt-3" /> : null}
    </SettingsSection>
  );
}
