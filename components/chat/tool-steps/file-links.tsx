import { Download } from "lucide-react";

/** Where a stored file is served for this viewer (the owner's route, or a share's). */
export type FileHref = (fileId: string) => string;

export const OWNER_FILES_BASE = "/api/files/";

export interface StepFile {
  id: string;
  name: string;
  mime: string;
  size: number;
}

/** Files a step produced, as download links (the route sends them as attachments; nothing renders inline). */
export function FileLinks({ files, fileHref }: { files: StepFile[]; fileHref: FileHref }) {
  if (!files.length) return null;
  return (
    <ul aria-label="Files" className="flex flex-wrap gap-2">
      {files.map((f) => (
        <li key={f.id}>
          <a
            href={fileHref(f.id)}
            download={f.name}
            className="inline-flex items-center gap-1.5 rounded-lg border border-border bg-background px-2.5 py-1 hover:bg-accent"
          >
            <Download className="size-3.5" aria-hidden />
            <span>{f.name}</span>
            <span className="text-xs text-muted-foreground">{formatSize(f.size)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
