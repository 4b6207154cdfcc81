"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, KeyRound, LoaderCircle } from "lucide-react";
import { useId, useState } from "react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useCopy } from "@/components/chat/use-copy";
import { apiKeysQueryOptions, createApiKey, revokeApiKey, type ApiKeyJson, type CreatedApiKeyJson } from "@/lib/query/api-keys";
import { queryKeys } from "@/lib/query/keys";
import { SettingsSection } from "./settings-section";

const primary =
  "inline-flex h-9 shrink-0 items-center justify-center gap-2 rounded-lg bg-primary px-4 text-sm font-medium text-primary-foreground hover:opacity-90 disabled:opacity-50";
const secondary =
  "inline-flex h-8 shrink-0 items-center justify-center gap-1.5 rounded-lg border border-border bg-background px-3 text-sm font-medium hover:bg-accent disabled:opacity-50";

const when = (iso: string) => new Date(iso).toLocaleDateString([], { year: "numeric", month: "short", day: "numeric" });

/** The "API keys" section of /settings: create (the key is shown once), see when each was last used, revoke. */
export function ApiKeysSection({ initial, apiBaseUrl }: { initial: ApiKeyJson[]; apiBaseUrl: string }) {
  const nameId = useId();
  const queryClient = useQueryClient();
  const { data: keys } = useQuery({ ...apiKeysQueryOptions(), initialData: initial });
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedApiKeyJson | null>(null);

  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: (key) => {
      setCreated(key);
      setName("");
      void queryClient.invalidateQueries({ queryKey: queryKeys.settings.apiKeys });
    },
  });

  return (
    <SettingsSection
      title="API keys"
      description={
        <>
          Use a key with any OpenAI client: base URL <code className="rounded bg-muted px-1 py-px text-[13px]">{apiBaseUrl}</code>,
          header <code className="rounded bg-muted px-1 py-px text-[13px]">Authorization: Bearer sk-…</code>. Calls count
          against your plan’s limits.
        </>
      }
    >
      <form
        className="mt-5 flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && !create.isPending) create.mutate(name.trim());
        }}
      >
        <div className="min-w-0 flex-1">
          <label htmlFor={nameId} className="text-sm font-medium">
            Key name
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="For example: laptop scripts"
            className="mt-1.5 h-9 w-full rounded-lg border border-border bg-background px-3 text-sm outline-none focus:border-ring"
          />
        </div>
        <button type="submit" disabled={!name.trim() || create.isPending} className={primary}>
          {create.isPending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <KeyRound className="size-4" aria-hidden />}
          Create key
        </button>
      </form>
      {create.isError ? <ErrorAlert className="mt-3" message={create.error.message} /> : null}
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : null}

      {keys.length ? (
        <ul aria-label="Your API keys" className="mt-5 divide-y divide-border rounded-xl border border-border">
          {keys.map((k) => (
            <KeyRow key={k.id} apiKey={k} />
          ))}
        </ul>
      ) : (
        <p className="mt-5 text-sm text-muted-foreground">No keys yet.</p>
      )}
    </SettingsSection>
  );
}

function NewKey({ created, onDone }: { created: CreatedApiKeyJson; onDone: () => void }) {
  const { copied, copy } = useCopy();
  const fieldId = useId();
  return (
    <div role="status" className="mt-4 rounded-xl border border-border bg-subtle p-4 dark:bg-muted/50">
      <label htmlFor={fieldId} className="text-sm font-medium">
        New API key “{created.name}”
      </label>
      <p className="mt-0.5 text-sm text-muted-foreground">Copy it now: it won’t be shown again.</p>
      <div className="mt-2 flex gap-2">
        <input
          id={fieldId}
          readOnly
          value={created.key}
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-lg border border-border bg-background px-3 font-mono text-[13px]"
        />
        <button type="button" className={secondary} onClick={() => copy(created.key)}>
          {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
          {copied ? "Copied" : "Copy key"}
        </button>
        <button type="button" className={secondary} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKeyJson }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => revokeApiKey(apiKey.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.settings.apiKeys }),
  });
  return (
    <li className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="truncate text-sm font-medium">{apiKey.name}</p>
        <p className="text-xs text-muted-foreground">
          <code className="font-mono">{apiKey.hint}</code> · created {when(apiKey.created_at)} ·{" "}
          {apiKey.last_used_at ? `last used ${when(apiKey.last_used_at)}` : "never used"}
        </p>
        {revoke.isError ? <ErrorAlert className="mt-2" message={revoke.error.message} /> : null}
      </div>
      {confirming ? (
        <div className="flex items-center gap-2">
          <span className="text-xs text-muted-foreground">Programs using it stop working at once.</span>
          <button type="button" className={secondary} disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke key
          </button>
          <button type="button" className={secondary} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" aria-label={`Revoke ${apiKey.name}`} className={secondary} onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
    </li>
  );
}
