import type { ToolDisplay } from "./labels";
import { FileLinks, type FileHref, type StepFile } from "./file-links";

type PythonDisplay = Extract<ToolDisplay, { kind: "python" }>;

const STATUS: Record<string, string> = {
  error: "Python raised an error.",
  timeout: "The code ran out of time and was stopped.",
  memory: "The code ran out of memory and was stopped.",
  stopped: "Stopped.",
  crashed: "The interpreter crashed.",
};

/** "Ran code": the code, what it printed, the files it wrote. */
export function CodeRun({ display, files, fileHref }: { display: PythonDisplay; files: StepFile[]; fileHref: FileHref }) {
  return (
    <div className="flex flex-col gap-2">
      <pre aria-label="Code" className="overflow-x-auto rounded-lg bg-background p-2 text-xs">
        <code>{display.code}</code>
      </pre>
      {display.stdout ? (
        <pre aria-label="Output" className="overflow-x-auto whitespace-pre-wrap break-words rounded-lg bg-background p-2 text-xs">
          {display.stdout}
        </pre>
      ) : null}
      {display.stderr ? (
        <pre aria-label="Errors" className="overflow-x-auto whitespace-pre-wrap break-words rounded-lg bg-background p-2 text-xs text-danger">
          {display.stderr}
        </pre>
      ) : null}
      {STATUS[display.status] ? <p role="note">{STATUS[display.status]}</p> : null}
      <FileLinks files={files} fileHref={fileHref} />
    </div>
  );
}
