"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useId, useState } from "react";
import { CountedTextarea } from "@/components/ui/counted-textarea";
import { Switch } from "@/components/ui/switch";
import {
  customInstructionsQueryOptions,
  saveCustomInstructions,
  type CustomInstructionsJson,
} from "@/lib/query/custom-instructions";
import { queryKeys } from "@/lib/query/keys";
import { SaveButton } from "@/components/ui/save-button";
import { SettingsSection } from "./settings-section";

type Edits = Partial<CustomInstructionsJson>;
const FIELDS = ["about_me", "response_style", "enabled"] as const;

/** Edits that the saved values now match are done; anything typed while saving stays an edit. */
function withoutSaved(edits: Edits, sent: CustomInstructionsJson): Edits {
  const left: Edits = {};
  for (const key of FIELDS) {
    if (edits[key] !== undefined && edits[key] !== sent[key]) Object.assign(left, { [key]: edits[key] });
  }
  return left;
}

/** The "Custom instructions" section of /settings: two texts and an on/off switch, saved together. */
export function CustomInstructionsForm({
  initial,
  maxLength,
}: {
  initial: CustomInstructionsJson;
  /** CUSTOM_INSTRUCTIONS_MAX, passed by the page so the zod schema stays out of the browser bundle. */
  maxLength: number;
}) {
  const switchLabelId = useId();
  const queryClient = useQueryClient();
  const { data: saved } = useQuery({ ...customInstructionsQueryOptions(), initialData: initial });
  const [edits, setEdits] = useState<Edits>({});
  const values: CustomInstructionsJson = { ...saved, ...edits };
  const dirty = FIELDS.some((key) => values[key] !== saved[key]);

  const save = useMutation({
    mutationFn: saveCustomInstructions,
    onSuccess: (stored, sent) => {
      queryClient.setQueryData(queryKeys.settings.customInstructions, stored);
      setEdits((current) => withoutSaved(current, sent));
    },
  });

  function edit(patch: Edits) {
    setEdits((current) => ({ ...current, ...patch }));
    if (!save.isPending && (save.isSuccess || save.isError)) save.reset();
  }

  return (
    <SettingsSection title="Custom instructions" description="They apply to all new replies in every chat.">
      <form
        className="mt-5 space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty && !save.isPending) save.mutate(values);
        }}
      >
        <div className="flex items-center justify-between gap-4 rounded-xl bg-subtle px-3.5 py-3 dark:bg-muted/50">
          <span id={switchLabelId} className="text-sm font-medium">
            Use custom instructions in new chats
          </span>
          <Switch
            aria-labelledby={switchLabelId}
            checked={values.enabled}
            onCheckedChange={(enabled) => edit({ enabled })}
          />
        </div>

        <CountedTextarea
          label="What should the assistant know about you?"
          name="about_me"
          value={values.about_me}
          onValueChange={(about_me) => edit({ about_me })}
          maxLength={maxLength}
          rows={5}
          placeholder="For example: I'm a backend developer in Lisbon. I mostly write Go and TypeScript."
        />
        <CountedTextarea
          label="How should the assistant respond?"
          name="response_style"
          value={values.response_style}
          onValueChange={(response_style) => edit({ response_style })}
          maxLength={maxLength}
          rows={5}
          placeholder="For example: Be concise. Show code first, then explain. Use metric units."
        />

        {save.isError ? <ErrorAlert message={save.error.message} /> : null}

        <div className="flex items-center justify-end gap-3">
          {/* Always in the page, so the polite announcement is heard when "Saved" appears. */}
          <p role="status" className="flex items-center gap-1.5 text-sm text-muted-foreground">
            {save.isSuccess && !dirty ? (
              <>
                <Check className="size-4" aria-hidden />
                Saved
              </>
            ) : null}
          </p>
          <SaveButton disabled={!dirty} pending={save.isPending} />
        </div>
      </form>
    </SettingsSection>
  );
}
