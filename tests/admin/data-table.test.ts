// The admin console's one table component, rendered as the server renders it: its accessible parts
// (caption, column and row header scopes, aria-sort), the declared sort order, data attributes and
// the empty state. The e2e specs (e2e/admin-*.spec.ts) check the tables by name in the browser.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type Column, DataTable } from "@/components/admin/data-table";

interface Row {
  id: string;
  name: string;
  n: number;
}

const columns: Column<Row>[] = [
  { header: "Name", rowHeader: true, cell: (r) => r.name },
  { header: "Count", className: "font-semibold", cell: (r) => r.n },
];
const rows: Row[] = [
  { id: "1", name: "beta", n: 2 },
  { id: "2", name: "alpha", n: 1 },
];

const render = (props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) =>
  renderToStaticMarkup(createElement(DataTable<Row>, { caption: "Things", columns, rows, rowKey: (r) => r.id, ...props }));

describe("DataTable", () => {
  it("is named by its caption, with column headers, one row header per row and cells", () => {
    const html = render({ rowData: (r) => ({ "data-thing": r.id }) });
    expect(html).toContain('<caption class="sr-only">Things</caption>');
    expect(html.match(/<th scope="col"[^>]*>/g)).toHaveLength(2);
    expect(html).toContain('<tr class="border-t border-border" data-thing="1"><th scope="row" class="px-2 py-1.5 font-medium">beta</th><td class="px-2 py-1.5 font-semibold">2</td></tr>');
    expect(html).not.toContain("aria-sort");
  });

  it("orders the rows by a declared sort and marks that column", () => {
    const html = render({ sort: { column: "Name", direction: "ascending", compare: (a, b) => a.name.localeCompare(b.name) } });
    expect(html.indexOf(">alpha<")).toBeLessThan(html.indexOf(">beta<"));
    expect(html).toContain('<th scope="col" aria-sort="ascending" class="px-2 py-1.5 font-medium">Name</th>');
    // A sort the rows already have (a query's ORDER BY) is marked and kept as given.
    const given = render({ sort: { column: "Count", direction: "descending" } });
    expect(given.indexOf(">beta<")).toBeLessThan(given.indexOf(">alpha<"));
    expect(given).toContain('aria-sort="descending" class="px-2 py-1.5 font-medium">Count</th>');
  });

  it("shows its empty state instead of a table with no rows", () => {
    expect(render({ rows: [], empty: "No things yet." })).toBe('<p class="text-sm text-muted-foreground">No things yet.</p>');
    expect(render({ rows: [] })).not.toContain("<table");
  });

  it("gives rows of form controls top alignment and more room", () => {
    expect(render({ controls: true })).toContain('<tr class="border-t border-border align-top"><th scope="row" class="px-2 py-2 font-medium">');
  });
});
