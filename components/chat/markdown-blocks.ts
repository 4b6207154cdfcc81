// Splits markdown into top-level blocks so a streaming reply re-parses only its last block.
// A boundary is a blank line followed by an unindented line, outside fenced code. Indented lines
// stay with the block above (list-item continuations and nested content would otherwise change
// meaning when parsed alone).

const FENCE = /^\s*(`{3,}|~{3,})/;

export function splitMarkdownBlocks(text: string): string[] {
  const lines = text.split("\n");
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let afterBlank = false;

  const flush = () => {
    while (current.length > 0 && current[current.length - 1].trim() === "") current.pop();
    if (current.length > 0) blocks.push(current.join("\n"));
    current = [];
  };

  for (const line of lines) {
    if (fence) {
      current.push(line);
      const close = FENCE.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && line.trim() === close[1]) {
        fence = null;
      }
      continue;
    }
    if (line.trim() === "") {
      if (current.length > 0) {
        current.push(line);
        afterBlank = true;
      }
      continue;
    }
    if (afterBlank && !/^[ \t]/.test(line)) flush();
    afterBlank = false;
    current.push(line);
    const open = FENCE.exec(line);
    if (open) fence = { char: open[1][0], length: open[1].length };
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  return blocks;
}
