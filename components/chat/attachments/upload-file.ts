// One upload to POST /api/files with progress (fetch reports no upload progress; XHR does).
import type { FileObject } from "@/lib/files/file-object";

export interface UploadLimits {
  per_message: number;
  bytes_per_file: number;
  total_bytes: number;
  used_bytes: number;
  accepted: string;
  accept: string;
}

export function uploadFile(file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<FileObject> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/files");
    // Required by the server for multipart uploads: a header no cross-site form can send.
    xhr.setRequestHeader("x-chatgate-upload", "1");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (FileObject & { error?: { message?: string } }) | null;
      if (xhr.status === 201 && body) resolve(body);
      else reject(new Error(body?.error?.message ?? `The upload failed (${xhr.status}). Try again.`));
    };
    xhr.onerror = () => reject(new Error("Couldn’t reach the server. Check your connection and try again."));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

export async function fetchUploadLimits(): Promise<UploadLimits> {
  const res = await fetch("/api/files", { credentials: "same-origin" });
  if (!res.ok) throw new Error("limits unavailable");
  return (await res.json()) as UploadLimits;
}
