"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Download, LoaderCircle, Upload } from "lucide-react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useEffect } from "react";
import { queryKeys } from "@/lib/query/keys";
import { EXPORT_URL, getImportJob, importConversations } from "@/lib/query/transfer";
import { SettingsSection } from "./settings-section";

const buttonClass =
  "inline-flex h-9 shrink-0 items-center justify-center gap-2 rounded-lg border border-border bg-background px-4 text-sm font-medium hover:bg-accent";

/** The "Data" section of /settings: download every chat, or import a ChatGPT or Chatgate export. */
export function DataSection() {
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: importConversations,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversations.all }),
  });
  // A large file becomes a background job: its progress is polled until it ends.
  const jobId = upload.data?.object === "import.job" ? upload.data.id : null;
  const job = useQuery({
    queryKey: ["import-job", jobId],
    queryFn: () => getImportJob(jobId!),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 1_000),
  });
  const jobStatus = job.data?.status;
  useEffect(() => {
    if (jobStatus && jobStatus !== "running") void queryClient.invalidateQueries({ queryKey: queryKeys.conversations.all });
  }, [jobStatus, queryClient]);
  const running = upload.isPending || (jobId !== null && (job.data?.status ?? "running") === "running");
  const done = upload.data?.object === "import" ? upload.data.imported : job.data?.status === "done" ? job.data.imported : null;

  return (
    <SettingsSection title="Data" description="Take your chats with you, or bring them here from ChatGPT.">
      <div className="mt-5 divide-y divide-border">
        <div className="flex flex-col gap-3 pb-5 sm:flex-row sm:items-center sm:justify-between">
          <div className="min-w-0">
            <h3 className="text-sm font-medium">Export</h3>
            <p className="mt-0.5 text-sm text-muted-foreground">
              All your chats with every branch of their messages, as one JSON file.
            </p>
          </div>
          {/* A plain download: the server streams the file as an attachment. */}
          <a href={EXPORT_URL} download className={buttonClass}>
            <Download className="size-4" aria-hidden />
            Export all chats
          </a>
        </div>

        <div className="pt-5">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              <h3 className="text-sm font-medium">Import</h3>
              <p className="mt-0.5 text-sm text-muted-foreground">
                ChatGPT’s <code className="rounded bg-muted px-1 py-px text-[13px]">conversations.json</code> or a
                Chatgate export (up to 50 MB and 10,000 chats). Titles, dates and branches are kept; a large file imports in the background.
              </p>
            </div>
            <label
              className={`${buttonClass} cursor-pointer has-[:disabled]:cursor-wait has-[:disabled]:opacity-60 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring`}
            >
              {running ? (
                <LoaderCircle className="size-4 animate-spin" aria-hidden />
              ) : (
                <Upload className="size-4" aria-hidden />
              )}
              Import chats
              <input
                type="file"
                accept=".json,application/json"
                aria-label="Import chats"
                disabled={running}
                className="sr-only"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  // Cleared so that choosing the same file again imports it again.
                  e.target.value = "";
                  if (file) upload.mutate(file);
                }}
              />
            </label>
          </div>

          {upload.isError ? <ErrorAlert message={upload.error.message} className="mt-4" /> : null}
          {job.data?.status === "failed" ? <ErrorAlert message={job.data.error ?? "The import failed."} className="mt-4" /> : null}
          <p role="status" className="mt-3 flex items-center gap-1.5 text-sm text-muted-foreground empty:mt-0">
            {done !== null ? (
              <>
                <Check className="size-4" aria-hidden />
                Imported {done} {done === 1 ? "chat" : "chats"}
              </>
            ) : jobId !== null && running ? (
              <>
                Importing… {(job.data?.imported ?? 0).toLocaleString("en-US")} of{" "}
                {(job.data?.total ?? (upload.data?.object === "import.job" ? upload.data.total : 0)).toLocaleString("en-US")} chats
              </>
            ) : null}
          </p>
        </div>
      </div>
    </SettingsSection>
  );
}
