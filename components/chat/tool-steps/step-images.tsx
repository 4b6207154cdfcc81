import type { FileHref, StepFile } from "./file-links";

const INLINE_IMAGE = new Set(["image/png", "image/jpeg", "image/webp"]);

export function imageFiles(files: StepFile[]): StepFile[] {
  return files.filter((f) => INLINE_IMAGE.has(f.mime));
}

/**
 * The images a step produced (a generated image, a plot the code saved), shown under the step
 * whether it is open or not: the user asked for them, so they are the answer, not a detail.
 */
export function StepImages({ files, alt, fileHref }: { files: StepFile[]; alt: string; fileHref: FileHref }) {
  const images = imageFiles(files);
  if (!images.length) return null;
  return (
    <div className="flex flex-wrap gap-2 px-3 pb-3">
      {images.map((f) => (
        // eslint-disable-next-line @next/next/no-img-element -- a stored file behind the owner's session (or the share's), not a static asset
        <img key={f.id} src={fileHref(f.id)} alt={alt || f.name} loading="lazy" className="max-h-96 max-w-full rounded-lg border border-border" />
      ))}
    </div>
  );
}
