// The SVG chart of a run: time to first token, inter-token gap p99 and delivered tokens/s against
// concurrency (log axes), direct vs gateway, with the knee marked. Plain SVG, no dependency.
import type { BenchResult } from "./report";

interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

const W = 1260;
const H = 430;
const COLORS = { direct: "#2563eb", gateway: "#ea580c", ideal: "#9ca3af" };
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
      }
    }
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((max - min) / 4 || 1));
  const mult = [1, 2, 5, 10].find((m) => (max - min) / (m * step) <= 6) ?? 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / (mult * step)) * mult * step; v <= max; v += mult * step) out.push(v);
  return out;
}

const label = (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : `${+v.toFixed(1)}`);

function panel(x0: number, y0: number, w: number, h: number, title: string, yTitle: string, series: Series[], xs: number[], knee: number | null, logY: boolean): string {
  const pts = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!logY || y > 0));
  if (!pts.length || !xs.length) return "";
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs) === xMin ? xMin * 10 : Math.max(...xs);
  let yMin = Math.min(...pts.map(([, y]) => y));
  let yMax = Math.max(...pts.map(([, y]) => y));
  if (logY) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax));
  } else {
    yMin = 0;
    yMax = yMax * 1.1 || 1;
  }
  const px = (x: number) => x0 + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * w;
  const py = (y: number) =>
    y0 + h - (logY ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin)) : (y - yMin) / (yMax - yMin)) * h;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${y0 - 14}" font-size="15" font-weight="600">${esc(title)}</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#d1d5db"/>`);
  for (const t of niceTicks(yMin, yMax, logY)) {
    const y = py(t);
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y}" y2="${y}" stroke="#f3f4f6"/>`);
    out.push(`<text x="${x0 - 6}" y="${y + 4}" font-size="11" text-anchor="end" fill="#4b5563">${label(t)}</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${y0}" y2="${y0 + h}" stroke="#f3f4f6"/>`);
    out.push(`<text x="${px(x)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${x}</text>`);
  }
  out.push(`<text x="${x0 + w / 2}" y="${y0 + h + 34}" font-size="12" text-anchor="middle" fill="#374151">concurrent streams</text>`);
  out.push(
    `<text x="${x0 - 44}" y="${y0 + h / 2}" font-size="12" text-anchor="middle" fill="#374151" transform="rotate(-90 ${x0 - 44} ${y0 + h / 2})">${esc(yTitle)}</text>`,
  );
  if (knee !== null) {
    out.push(`<line x1="${px(knee)}" x2="${px(knee)}" y1="${y0}" y2="${y0 + h}" stroke="#dc2626" stroke-dasharray="3 3"/>`);
    const right = px(knee) > x0 + w - 40;
    out.push(`<text x="${px(knee) + (right ? -4 : 4)}" y="${y0 + h - 6}" font-size="11" text-anchor="${right ? "end" : "start"}" fill="#dc2626">knee</text>`);
  }
  for (const s of series) {
    const p = s.points.filter(([, y]) => Number.isFinite(y) && (!logY || y > 0));
    if (!p.length) continue;
    const d = p.map(([x, y], i) => `${i ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    for (const [x, y] of p) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  series.forEach((s, i) => {
    const ly = y0 + 14 + i * 16;
    out.push(`<line x1="${x0 + 10}" x2="${x0 + 34}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${x0 + 40}" y="${ly}" font-size="11" fill="#111827">${esc(s.label)}</text>`);
  });
  return out.join("\n");
}

export function renderChart(r: BenchResult): string {
  const levels = r.sweep?.levels ?? [];
  const xs = levels.map((l) => l.level);
  const knee = r.sweep?.knee?.level ?? null;
  const series = (pick: (l: (typeof levels)[number]) => number): [number, number][] => levels.map((l) => [l.level, pick(l)]);
  const rate = Number(r.meta.settings.decodeTokensPerS) || 50;
  const pw = 340;
  const ph = 290;
  const top = 80;
  const parts = [
    panel(70, top, pw, ph, "Time to first token", "ms (log)", [
      { label: "direct p50", color: COLORS.direct, points: series((l) => l.direct.ttftP50) },
      { label: "direct p99", color: COLORS.direct, dashed: true, points: series((l) => l.direct.ttftP99) },
      { label: "gateway p50", color: COLORS.gateway, points: series((l) => l.gateway.ttftP50) },
      { label: "gateway p99", color: COLORS.gateway, dashed: true, points: series((l) => l.gateway.ttftP99) },
    ], xs, knee, true),
    panel(490, top, pw, ph, "Inter-token gap", "ms", [
      { label: "direct p99", color: COLORS.direct, dashed: true, points: series((l) => l.direct.gapP99) },
      { label: "gateway p99", color: COLORS.gateway, dashed: true, points: series((l) => l.gateway.gapP99) },
      { label: "direct p50", color: COLORS.direct, points: series((l) => l.direct.gapP50) },
      { label: "gateway p50", color: COLORS.gateway, points: series((l) => l.gateway.gapP50) },
    ], xs, knee, false),
    panel(900, top, pw, ph, "Delivered tokens/s", "tokens/s (log)", [
      { label: `ideal (N × ${rate})`, color: COLORS.ideal, dashed: true, points: xs.map((x) => [x, x * rate]) },
      { label: "direct", color: COLORS.direct, points: series((l) => l.direct.tokensPerS) },
      { label: "gateway", color: COLORS.gateway, points: series((l) => l.gateway.tokensPerS) },
    ], xs, knee, true),
  ];
  const title = `chatgate gateway vs direct inference — ${r.meta.mode} run ${r.meta.startedAt} (${r.meta.database.split(" (")[0]})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="20" y="30" font-size="17" font-weight="700">${esc(title)}</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
