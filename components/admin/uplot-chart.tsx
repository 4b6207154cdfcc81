"use client";

// One uPlot line chart. Loaded only through next/dynamic from charts-panel.tsx, so uPlot (about
// 23 KB gzip) is a lazy chunk of the admin console and never part of the chat page. uPlot styles
// through the CSSOM (element.style), which a CSP without 'unsafe-inline' styles still allows.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Chart } from "@/lib/metrics/charts";
import { formatValue } from "./format";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

export default function UplotChart({ chart, height = 200 }: { chart: Chart; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data = [chart.t, ...chart.series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        // Points too: a minute with replies between empty ones is a lone point, which a line alone would not show.
        series: [
          {},
          ...chart.series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            spanGaps: false,
            points: { show: true, size: 5, fill: COLORS[i % COLORS.length] },
          })),
        ],
        axes: [{}, { values: (_u, ticks) => ticks.map((v) => formatValue(v, chart.unit)), size: 70 }],
        scales: { x: { time: true } },
        legend: { live: true },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [chart, height]);
  return <div ref={box} className="w-full text-xs" />;
}
