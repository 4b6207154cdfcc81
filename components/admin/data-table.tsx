// The admin console's one table: a caption that names it (visually hidden; screen readers and
// getByRole("table", { name }) use it), column headers with scope="col", the row's first header
// column as scope="row" headers, an optional declared sort order (the rows sorted by it and the
// column marked with aria-sort), and an empty state instead of a table with no rows.
// Not a client component: server pages and client components both render it, with cell functions.
import { clsx } from "clsx";
import type { ReactNode } from "react";

export interface Column<T> {
  /** The column's header text (also the name a sort refers to). */
  header: string;
  cell: (row: T) => ReactNode;
  /** The cells of this column are the rows' headers (th scope="row"); one column per table at most. */
  rowHeader?: boolean;
  /** Classes for this column's cells; a row header's replace its default weight (font-medium). */
  className?: string;
}

export interface TableSort<T> {
  /** The header of the column the rows are ordered by. */
  column: string;
  direction: "ascending" | "descending";
  /** Orders the rows here; without it, they come in that order already (a query's ORDER BY). */
  compare?: (a: T, b: T) => number;
}

type DataAttributes = Record<`data-${string}`, string | undefined>;

interface DataTableProps<T> {
  /** The table's accessible name. */
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** data-* attributes of a row (what tests and scripts find a row by). */
  rowData?: (row: T) => DataAttributes;
  sort?: TableSort<T>;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** Rows hold form controls: cells aligned to the top, with a little more room. */
  controls?: boolean;
  className?: string;
}

export function DataTable<T>({ caption, columns, rows, rowKey, rowData, sort, empty = "Nothing to show yet.", controls, className }: DataTableProps<T>) {
  if (rows.length === 0) return <p className={clsx("text-sm text-muted-foreground", className)}>{empty}</p>;
  const ordered = sort?.compare ? [...rows].sort(sort.compare) : rows;
  const pad = controls ? "px-2 py-2" : "px-2 py-1.5";
  return (
    <div className={clsx("overflow-x-auto", className)}>
      <table className="w-full text-left text-sm tabular-nums">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-muted-foreground">
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" aria-sort={sort?.column === c.header ? sort.direction : undefined} className="px-2 py-1.5 font-medium">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ordered.map((row) => (
            <tr key={rowKey(row)} className={clsx("border-t border-border", controls && "align-top")} {...rowData?.(row)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" className={clsx(pad, c.className ?? "font-medium")}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={clsx(pad, c.className)}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
