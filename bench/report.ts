// The bench's output: one markdown table (printed and saved), the full figures as JSON, and an SVG
// chart (latency and throughput against concurrency, direct vs gateway), all under bench/results/.
import fs from "node:fs";
import path from "node:path";
import type { BranchPathResult } from "./scenarios/branch-path";
import { CHAT_JS_TARGET_KB, type PageWeight } from "./scenarios/ui-browser";
import { type AdminBenchResult, CHART_P95_TARGET_MS, SAVE_P99_RATIO_TARGET } from "./scenarios/admin";
import type { ContextResult } from "./scenarios/context";
import { CONTEXT_P50_TARGET_MS, HOSTILE_TOKENIZE_TARGET_MS, TOKENIZE_P50_TARGET_MS } from "./scenarios/context";
import type { RouteJs } from "./scenarios/frontend";
import { FIRST_LOAD_TARGET_KB, STARTUP_TARGET_MS } from "./scenarios/frontend";
import type { MemoryResult } from "./scenarios/memory";
import { GROWTH_TOLERANCE_MB, PER_STREAM_TARGET_KB } from "./scenarios/memory";
import type { ModerationResult } from "./scenarios/moderation";
import { MODERATION_PER_TOKEN_P99_TARGET_US } from "./scenarios/moderation";
import type { ModerationDelayResult } from "./scenarios/moderation-delay";
import { MODERATION_GAP_RATIO_TARGET } from "./scenarios/moderation-delay";
import type { PersistenceResult } from "./scenarios/persistence";
import { PERSIST_P99_TARGET_MS } from "./scenarios/persistence";
import type { StrategyResult } from "./scenarios/routing";
import type { SingleStreamResult } from "./scenarios/single-stream";
import type { LevelSummary, SweepResult } from "./scenarios/sweep";
import { RATIO_TARGET } from "./scenarios/sweep";
import { percentile } from "./stats";
import { DELIVERED_RATIO_TARGET, STEP_OVERHEAD_TARGET_MS, type ToolLoopBenchResult } from "./scenarios/tool-loop";
import { FIRST_OUTPUT_P50_TARGET_MS, type ToolsBenchResult } from "./scenarios/tools";
import { renderChart } from "./chart";

export const TARGETS = {
  singleAddedP50Ms: 5,
  singleAddedP99Ms: 20,
  addedP99At500Ms: 50,
  gapDeltaAt500Ms: 10,
  ratioUpTo: 1_000,
  cpuPer200TokensMs: 15,
} as const;

export interface BenchResult {
  meta: {
    startedAt: string;
    durationS: number;
    mode: "quick" | "full";
    argv: string[];
    node: string;
    cpu: string;
    cores: number;
    memGb: number;
    commit: string;
    database: string;
    settings: Record<string, unknown>;
  };
  startup: { nextStartMs: number | null; npmStartMs: number | null } | null;
  firstLoad: RouteJs[] | null;
  /** Issue 16: what Chromium downloads (encoded script bytes) for the chat page and /admin. */
  browserJs: PageWeight[] | null;
  single: SingleStreamResult | null;
  sweep: SweepResult | null;
  memory: MemoryResult | null;
  persistence: PersistenceResult | null;
  context: ContextResult | null;
  /** Issue 6: active path of a 2,000-message, 50-branch conversation (bench/scenarios/branch-path.ts). */
  branches: BranchPathResult | null;
  /** Issue 16: admin chart queries over rollups of 10 M usage_events, saves with/without the rollup job. */
  admin: AdminBenchResult | null;
  /** Issue 8: four replicas, three strategies, one replica killed (bench/scenarios/routing.ts). */
  routing: { quick: boolean; heading: string; results: StrategyResult[] } | null;
  /** Issue 9: the streaming moderator's cost per token, and the gateway with output moderation on vs off. */
  moderation: { micro: ModerationResult | null; delay: ModerationDelayResult | null } | null;
  /** Issue 15: the code interpreter (bench/scenarios/tools.ts) and the tool loop (bench/scenarios/tool-loop.ts). */
  tools?: { interpreter: ToolsBenchResult | { skipped: string }; loop: ToolLoopBenchResult } | null;
  notes: string[];
}

/** Issue 6: the page's read of the active path (with versions), p95. */
export const BRANCH_PATH_P95_TARGET_MS = 20;

interface Row {
  scenario: string;
  figure: string;
  direct: string;
  gateway: string;
  ratio: string;
  target: string;
  ok: boolean | null;
}

const f = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits));
const signed = (v: number, digits = 1) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(digits)}` : "–");
/** A histogram quantile: at the largest bound it means "beyond the last bucket". */
const bucketed = (ms: number) => (ms >= 1000 ? "> 1000" : f(ms, 1));
const mark = (ok: boolean | null) => (ok === null ? "" : ok ? "✓" : "✗");

function levelRows(s: LevelSummary): Row[] {
  const sc = `2 · ${s.level} streams${s.beyondKnee ? " (beyond the knee)" : ""}${s.rounds > 1 ? ` (${s.rounds} rounds)` : ""}`;
  const at500 = s.level === 500;
  const gapDelta = s.gateway.gapP99 - s.direct.gapP99;
  const rows: Row[] = [
    {
      scenario: sc,
      figure: "TTFT p50 / p99 (ms)",
      direct: `${f(s.direct.ttftP50)} / ${f(s.direct.ttftP99)}`,
      gateway: `${f(s.gateway.ttftP50)} / ${f(s.gateway.ttftP99)}`,
      ratio: `added ${signed(s.addedTtftP50)} / ${signed(s.addedTtftP99)}`,
      target: at500 ? `added p99 ≤ ${TARGETS.addedP99At500Ms} ms` : "",
      ok: at500 ? s.addedTtftP99 <= TARGETS.addedP99At500Ms : null,
    },
    {
      scenario: sc,
      figure: "inter-token gap p50 / p99 (ms)",
      direct: `${f(s.direct.gapP50)} / ${f(s.direct.gapP99)}`,
      gateway: `${f(s.gateway.gapP50)} / ${f(s.gateway.gapP99)}`,
      ratio: `p99 ${signed(gapDelta)}`,
      target: at500 ? `p99 within ${TARGETS.gapDeltaAt500Ms} ms of direct` : "",
      ok: at500 ? gapDelta <= TARGETS.gapDeltaAt500Ms : null,
    },
    {
      scenario: sc,
      figure: "delivered tokens/s",
      direct: f(s.direct.tokensPerS, 0),
      gateway: f(s.gateway.tokensPerS, 0),
      ratio: f(s.ratio, 3),
      target: s.level <= TARGETS.ratioUpTo ? `≥ ${RATIO_TARGET}` : "",
      ok: s.level <= TARGETS.ratioUpTo ? s.ratio >= RATIO_TARGET : null,
    },
    {
      scenario: sc,
      figure: "errors / streams",
      direct: `${s.direct.errors} / ${s.direct.streams}`,
      gateway: `${s.gateway.errors} / ${s.gateway.streams}${s.gateway.mismatched ? ` (${s.gateway.mismatched} wrong length)` : ""}`,
      ratio: "",
      target: "0",
      ok: s.direct.errors === 0 && s.gateway.errors === 0,
    },
    {
      scenario: sc,
      figure: `app CPU per stream (ms; per 200 tokens)`,
      direct: "",
      gateway: `${f(s.appCpuPerStreamMs)}; ${f(s.appCpuPer200TokensMs)}`,
      ratio: `app ${f(s.appCpuPct, 0)}% of a core, ${f(s.appSysShare * 100, 0)}% of it in the kernel${s.dbCpuPerStreamMs > 0 ? `; + PostgreSQL ${f(s.dbCpuPerStreamMs)} ms/stream` : ""}`,
      target: `≤ ${TARGETS.cpuPer200TokensMs} ms / 200 tokens`,
      ok: s.appCpuPer200TokensMs <= TARGETS.cpuPer200TokensMs,
    },
    {
      scenario: sc,
      figure: "CPU, % of one core: simulator · load generator · other processes",
      direct: `${f(s.direct.simCpuPct, 0)} · ${f(s.direct.loadgenCpuPct, 0)} · ${f(s.direct.otherCpuPct, 0)}`,
      gateway: `${f(s.gateway.simCpuPct, 0)} · ${f(s.gateway.loadgenCpuPct, 0)} · ${f(s.gateway.otherCpuPct, 0)}`,
      ratio: "",
      target: "",
      ok: null,
    },
    {
      scenario: sc,
      figure: "app RSS plateau / peak (MB); tokens per SSE delta",
      direct: `${f(s.direct.tokensPerDelta, 2)} tok/delta`,
      gateway: `${f(s.appRssPlateauMb, 0)} / ${f(s.appRssPeakMb, 0)}; ${f(s.gateway.tokensPerDelta, 2)} tok/delta`,
      ratio: "",
      target: "",
      ok: null,
    },
  ];
  return rows;
}

export function tableRows(r: BenchResult): Row[] {
  const rows: Row[] = [];
  if (r.single) {
    const s = r.single;
    const sc = `1 · one stream ×${s.reps}`;
    rows.push(
      {
        scenario: sc,
        figure: "TTFT p50 (ms)",
        direct: f(s.direct.ttftP50),
        gateway: f(s.gateway.ttftP50),
        ratio: `added ${signed(s.addedP50)} (paired ${signed(s.addedPairedMedian)})`,
        target: `added ≤ ${TARGETS.singleAddedP50Ms} ms`,
        ok: s.addedP50 <= TARGETS.singleAddedP50Ms,
      },
      {
        scenario: sc,
        figure: "TTFT p99 (ms)",
        direct: f(s.direct.ttftP99),
        gateway: f(s.gateway.ttftP99),
        ratio: `added ${signed(s.addedP99)}`,
        target: `added ≤ ${TARGETS.singleAddedP99Ms} ms`,
        ok: s.addedP99 <= TARGETS.singleAddedP99Ms,
      },
      {
        scenario: sc,
        figure: "time to response headers p50 (ms)",
        direct: f(s.direct.headersP50),
        gateway: f(s.gateway.headersP50),
        ratio: `then first token +${f(s.gateway.ttftP50 - s.gateway.headersP50)} (direct +${f(s.direct.ttftP50 - s.direct.headersP50)})`,
        target: "",
        ok: null,
      },
    );
  }
  if (r.sweep) {
    for (const s of r.sweep.levels) rows.push(...levelRows(s));
    const k = r.sweep.knee;
    const maxRun = Math.max(0, ...r.sweep.levels.map((l) => l.level));
    rows.push({
      scenario: "2 · knee",
      figure: "first level with ratio < 0.95 or errors",
      direct: "",
      gateway: k ? `${k.level} streams` : `none up to ${maxRun}`,
      ratio: k ? k.reason : "",
      target: `≥ 0.95 with no errors up to ≥ ${TARGETS.ratioUpTo}`,
      ok: k ? k.level > TARGETS.ratioUpTo : maxRun >= TARGETS.ratioUpTo ? true : null,
    });
    if (r.sweep.skipped.length) {
      rows.push({ scenario: "2 · skipped", figure: "levels not run (time budget)", direct: "", gateway: r.sweep.skipped.join(", "), ratio: "", target: "", ok: null });
    }
  }
  if (r.memory) {
    const m = r.memory;
    rows.push(
      { scenario: "3 · memory", figure: "app RSS at rest (MB)", direct: "", gateway: f(m.restMb, 0), ratio: "", target: "", ok: null },
      {
        scenario: "3 · memory",
        figure: "RSS per open stream (KB; slope over the sweep, above each run's baseline)",
        direct: "",
        gateway: `${f(m.slopeKbPerStream, 0)} (per level: ${m.perLevelKb.map((l) => `${l.level}: ${f(l.kbPerStream, 0)}`).join(", ")}; pass ${m.passesUsed.join(", ")})`,
        ratio: "",
        target: `≤ ${PER_STREAM_TARGET_KB} KB`,
        ok: Number.isFinite(m.slopeKbPerStream) ? m.slopeKbPerStream <= PER_STREAM_TARGET_KB : null,
      },
      {
        scenario: "3 · memory",
        figure: "RSS (JS heap) after each sweep pass, streams ended (MB)",
        direct: "",
        gateway: `${m.rssAfterPassMb.map((v) => f(v, 0)).join(" → ")} (${m.heapAfterPassMb.map((v) => f(v, 0)).join(" → ")})`,
        ratio: `growth ${signed(m.growthMb, 0)} MB (heap ${signed(m.heapGrowthMb, 0)})`,
        target: `no growth (≤ ${GROWTH_TOLERANCE_MB} MB)`,
        ok: Number.isFinite(m.growthMb) ? m.growthMb <= GROWTH_TOLERANCE_MB : null,
      },
    );
  }
  if (r.context) {
    const driver = r.context.driver === "postgres" ? "PostgreSQL" : "PGlite";
    for (const s of r.context.sizes) {
      const big = s.messages === 10_000;
      rows.push({
        scenario: `4 · context (${driver})`,
        figure: `${s.messages.toLocaleString("en")} messages: path + prompt p50 / p99 (ms)`,
        direct: "",
        gateway: `${f(s.p50Ms, 2)} / ${f(s.p99Ms, 2)}`,
        ratio: `query ${f(s.queryP50Ms, 2)} (${s.fetched} messages fit) + build ${f(s.assembleP50Ms, 2)}; whole path ${f(s.fullPathP50Ms, 1)}`,
        target: big ? `p50 ≤ ${CONTEXT_P50_TARGET_MS} ms (on PostgreSQL)` : "",
        ok: big ? s.p50Ms <= CONTEXT_P50_TARGET_MS : null,
      });
    }
    const t = r.context.tokenize;
    rows.push({
      scenario: "4 · context",
      figure: `tokenizing a new ${t.tokens.toLocaleString("en")}-token message p50 / p99 (ms)`,
      direct: "",
      gateway: `${f(t.p50Ms, 2)} / ${f(t.p99Ms, 2)}`,
      ratio: "gpt-tokenizer, o200k_base",
      target: `p50 ≤ ${TOKENIZE_P50_TARGET_MS} ms`,
      ok: t.p50Ms <= TOKENIZE_P50_TARGET_MS,
    });
    const hostile = r.context.hostileTokenize ?? [];
    if (hostile.length) {
      const worst = hostile.reduce((a, b) => (b.ms > a.ms ? b : a));
      rows.push({
        scenario: "4 · context",
        figure: "tokenizing 100 k characters of a hostile run, worst shape (ms, both encodings)",
        direct: "",
        gateway: f(worst.ms, 1),
        ratio: `${worst.shape}; ${hostile.map((h) => `${h.shape} ${f(h.ms, 0)}`).join(", ")}`,
        target: `≤ ${HOSTILE_TOKENIZE_TARGET_MS} ms`,
        ok: worst.ms <= HOSTILE_TOKENIZE_TARGET_MS,
      });
    }
  }
  if (r.persistence) {
    const p = r.persistence;
    const sc = `5 · persistence, ${p.level} streams`;
    rows.push({
      scenario: sc,
      figure: "save finished reply + usage event p50 / p99 (ms)",
      direct: "",
      gateway: `${bucketed(p.finish.p50Ms)} / ${bucketed(p.finish.p99Ms)} (n=${p.finish.count}, mean ${f(p.finish.meanMs, 1)})`,
      ratio: Number.isFinite(p.finish.p99BoundMs) ? `99% ≤ ${f(p.finish.p99BoundMs, 1)} ms bucket` : "99% not within the largest bucket (1 s)",
      target: `p99 ≤ ${PERSIST_P99_TARGET_MS} ms`,
      ok: p.finish.count ? p.finish.p99BoundMs <= PERSIST_P99_TARGET_MS : null,
    });
    rows.push({
      scenario: sc,
      figure: "start turn (user msg + placeholder) / checkpoint tick (one statement for all due replies) p50 / p99 (ms)",
      direct: "",
      gateway: `${bucketed(p.startTurn.p50Ms)} / ${bucketed(p.startTurn.p99Ms)} · ${bucketed(p.checkpoint.p50Ms)} / ${bucketed(p.checkpoint.p99Ms)}`,
      ratio: "",
      target: "",
      ok: null,
    });
  }
  rows.push({ scenario: "6 · database", figure: "app, context assembly and branches ran on", direct: "", gateway: r.meta.database, ratio: "", target: "", ok: null });
  if (r.firstLoad) {
    for (const js of r.firstLoad) {
      rows.push({
        scenario: "7 · UI",
        figure: `first-load JS ${js.route.replace("/(chat)", "").replace(/\/page$/, "") || "/"} (gzip KB)`,
        direct: "",
        gateway: `${f(js.gzipKb, 0)} (${js.files} files, ${f(js.rawKb, 0)} KB raw)`,
        ratio: "",
        target: `≤ ${FIRST_LOAD_TARGET_KB} KB`,
        ok: js.gzipKb <= FIRST_LOAD_TARGET_KB,
      });
    }
  }
  for (const w of r.browserJs ?? []) {
    const chat = w.withEngineKb !== undefined;
    rows.push({
      scenario: "7 · UI (Chromium)",
      figure: `${w.page}: scripts until usable, encoded KB${chat ? " (with the chat engine, fetched on the first keystroke)" : ""}`,
      direct: "",
      gateway: `${f(w.encodedKb, 1)} (${w.scripts} files)${chat ? ` (${f(w.withEngineKb!, 1)})` : ""}`,
      ratio: chat ? (w.uplotInChat ? "uPlot loaded on the chat page!" : "no uPlot") : w.chartsLoaded ? "charts drawn" : "no chart data",
      target: chat ? `≤ ${CHAT_JS_TARGET_KB} KB` : "",
      ok: chat ? w.encodedKb <= CHAT_JS_TARGET_KB && !w.uplotInChat : null,
    });
  }
  if (r.startup) {
    rows.push({
      scenario: "7 · UI",
      figure: "`npm start` → sign-in page served (ms)",
      direct: "",
      gateway: f(r.startup.npmStartMs, 0),
      ratio: `app server alone: ${f(r.startup.nextStartMs, 0)} ms`,
      target: `≤ ${STARTUP_TARGET_MS} ms`,
      ok: r.startup.npmStartMs === null ? null : r.startup.npmStartMs <= STARTUP_TARGET_MS,
    });
  }
  rows.push(...moderationRows(r), ...branchRows(r), ...routingRows(r), ...adminRows(r), ...toolRows(r));
  return rows;
}

function toolRows(r: BenchResult): Row[] {
  if (!r.tools) return [];
  const sc = "13 · tools";
  const rows: Row[] = [];
  const i = r.tools.interpreter;
  if ("firstOutput" in i) {
    rows.push(
      { scenario: sc, figure: "code run, time to first output p50 (ms, warm pool)", direct: "", gateway: f(i.firstOutput.p50Ms, 0), ratio: `p95 ${f(i.firstOutput.p95Ms, 0)}`, target: `≤ ${FIRST_OUTPUT_P50_TARGET_MS} ms`, ok: i.firstOutput.p50Ms <= FIRST_OUTPUT_P50_TARGET_MS },
      { scenario: sc, figure: `code runs per second (${i.cores} cores, ${i.throughput.concurrency} at once)`, direct: "", gateway: f(i.throughput.runsPerSecond, 2), ratio: "", target: "", ok: null },
    );
  }
  const o = r.tools.loop.overhead;
  rows.push({ scenario: sc, figure: "loop overhead per tool step p50 (ms, beyond the tool)", direct: "", gateway: f(o.p50Ms, 2), ratio: `p95 ${f(o.p95Ms, 2)}, ${o.steps} steps`, target: `≤ ${STEP_OVERHEAD_TARGET_MS} ms`, ok: o.p50Ms <= STEP_OVERHEAD_TARGET_MS });
  const d = r.tools.loop.delivered;
  if ("ratio" in d) {
    rows.push({ scenario: sc, figure: `${d.streams} streams with code running beside ÷ without (tokens/s)`, direct: f(d.baseTokensPerS, 0), gateway: f(d.withToolsTokensPerS, 0), ratio: f(d.ratio, 3), target: `≥ ${DELIVERED_RATIO_TARGET}`, ok: d.ratio >= DELIVERED_RATIO_TARGET });
  }
  return rows;
}

function moderationRows(r: BenchResult): Row[] {
  const rows: Row[] = [];
  const d = r.moderation?.delay;
  if (d) {
    const sc = `8 · moderation, ${d.level} streams ×${d.rounds}`;
    rows.push(
      {
        scenario: sc,
        figure: "inter-token gap p50 / p99 (ms): output moderation on · off",
        direct: "",
        gateway: `${f(d.on.gapP50)} / ${f(d.on.gapP99)} · ${f(d.off.gapP50)} / ${f(d.off.gapP99)}`,
        ratio: `off ÷ on: p50 ${f(d.gapP50Ratio, 3)}, p99 ${f(d.gapP99Ratio, 3)}`,
        target: `≥ ${MODERATION_GAP_RATIO_TARGET} (p50 and p99)`,
        ok: d.gapP50Ratio >= MODERATION_GAP_RATIO_TARGET && d.gapP99Ratio >= MODERATION_GAP_RATIO_TARGET,
      },
      {
        scenario: sc,
        figure: "mean inter-token gap (ms) · delivered tokens/s: on · off",
        direct: "",
        gateway: `${f(d.on.gapMean, 2)} · ${f(d.off.gapMean, 2)}; ${f(d.on.tokensPerS, 0)} · ${f(d.off.tokensPerS, 0)} tok/s`,
        ratio: `mean gap off ÷ on ${f(d.gapMeanRatio, 3)}; tokens/s on ÷ off ${f(d.tokensRatio, 3)}`,
        target: "",
        ok: null,
      },
      {
        scenario: sc,
        figure: "errors / streams; output moderation decisions the app counted (since it started): on · off",
        direct: "",
        gateway: `${d.on.errors} / ${d.on.streams} · ${d.off.errors} / ${d.off.streams}; checks ${d.on.outputChecks} · ${d.off.outputChecks}`,
        ratio: `other processes ${f(d.on.otherCpuPct, 0)}% · ${f(d.off.otherCpuPct, 0)}% of a core`,
        target: "0 errors; checks ≥ streams when on, 0 when off",
        ok: d.on.errors === 0 && d.off.errors === 0 && d.on.outputChecks >= d.on.streams && d.off.outputChecks === 0,
      },
    );
  }
  const m = r.moderation?.micro;
  if (m) {
    for (const c of m.cases) {
      rows.push({
        scenario: "8 · moderation, per token",
        figure: `streaming moderator, ${c.name}: cost per token p50 / p99 (µs)`,
        direct: "",
        gateway: `${f(c.perTokenP50Us, 2)} / ${f(c.perTokenP99Us, 2)} (max ${f(c.perTokenMaxUs, 0)}, ${c.tokens.toLocaleString("en")} tokens)`,
        ratio: `${f(c.heldCharShare * 100, 1)}% of characters held; hold p99 ${f(c.holdTokensP99, 0)} tokens; max held ${c.maxHeldChars} / ${m.maxHoldChars} chars`,
        target: `p99 ≤ ${MODERATION_PER_TOKEN_P99_TARGET_US} µs`,
        ok: c.perTokenP99Us <= MODERATION_PER_TOKEN_P99_TARGET_US,
      });
    }
  }
  return rows;
}

function adminRows(r: BenchResult): Row[] {
  const a = r.admin;
  if (!a) return [];
  const sc = `11 · admin (${a.driver}, ${a.rows.toLocaleString("en")} usage_events)`;
  const ratio = a.saves.withJob.p99 / a.saves.withoutJob.p99;
  return [
    ...a.queries.map((q) => ({
      scenario: sc,
      figure: `${q.name} p50 / p95 (ms)`,
      direct: "",
      gateway: `${f(q.p50, 1)} / ${f(q.p95, 1)}`,
      ratio: "",
      target: q.name.startsWith("rollup job") ? "" : `p95 ≤ ${CHART_P95_TARGET_MS} ms`,
      ok: q.name.startsWith("rollup job") ? null : q.p95 <= CHART_P95_TARGET_MS,
    })),
    {
      scenario: sc,
      figure: `reply save p50 / p99 (ms), without → with the rollup job (every ${a.saves.jobEveryMs} ms), ${a.saves.concurrency} at a time`,
      direct: `${f(a.saves.withoutJob.p50, 2)} / ${f(a.saves.withoutJob.p99, 2)}`,
      gateway: `${f(a.saves.withJob.p50, 2)} / ${f(a.saves.withJob.p99, 2)}`,
      ratio: `× ${f(ratio, 2)} (p99)`,
      target: `p99 ≤ × ${SAVE_P99_RATIO_TARGET}`,
      ok: ratio <= SAVE_P99_RATIO_TARGET,
    },
    {
      scenario: sc,
      figure: "seeded rows; rollups built (backfill, then retention)",
      direct: "",
      gateway: `${f(a.seedMs / 1000, 1)} s; ${a.rollupRows.toLocaleString("en")} rows in ${f(a.rollupBuildMs / 1000, 1)} s`,
      ratio: "",
      target: "",
      ok: null,
    },
  ];
}

function branchRows(r: BenchResult): Row[] {
  const b = r.branches;
  if (!b) return [];
  const sc = `9 · branches (${b.driver})`;
  return [
    ...b.rows.map((x) => ({
      scenario: sc,
      figure: `${x.name} p50 / p95 (ms)`,
      direct: "",
      gateway: `${f(x.p50, 2)} / ${f(x.p95, 2)}`,
      ratio: x.target === null ? "" : `path of ${b.pathLength} messages`,
      target: x.target === null ? "" : `p95 ≤ ${x.target} ms (on PostgreSQL)`,
      ok: x.target === null ? null : x.p95 <= x.target,
    })),
    {
      scenario: sc,
      figure: `seeded: ${b.conversations} conversations of 2,000 messages in 50 branches`,
      direct: "",
      gateway: `${b.messages.toLocaleString("en")} messages in ${f(b.seedMs / 1000, 1)} s`,
      ratio: "",
      target: "",
      ok: null,
    },
  ];
}

function routingRows(r: BenchResult): Row[] {
  const g = r.routing;
  if (!g) return [];
  const rr = g.results[0];
  const aff = g.results.find((x) => x.name === "least-load + affinity");
  const killed = g.results.find((x) => x.name.includes("killed"));
  const rows: Row[] = [];
  if (aff && rr) {
    rows.push({
      scenario: "10 · routing",
      figure: "least-load + affinity vs round-robin: TTFT p50 / p99, prefix-cache hit rate, replies/s",
      direct: "",
      gateway: `${f(aff.ttftP50, 0)} / ${f(aff.ttftP99, 0)} ms, ${f(aff.hitRate * 100, 1)}%, ${f(aff.repliesPerS, 2)}/s`,
      ratio: `× ${f(aff.ttftP50 / rr.ttftP50, 2)} / ${f(aff.ttftP99 / rr.ttftP99, 2)}, ${f(aff.hitRate / rr.hitRate, 2)}, ${f(aff.repliesPerS / rr.repliesPerS, 2)}`,
      target: "",
      ok: null,
    });
  }
  if (killed) {
    rows.push({
      scenario: "10 · routing",
      figure: "one replica killed mid-run: errors users see before / after the first token; time to eject",
      direct: "",
      gateway: `${killed.errorsBeforeFirstToken} / ${killed.errorsAfterFirstToken}; ${killed.ejectMs === null ? "not ejected" : `${killed.ejectMs} ms`}`,
      ratio: `${killed.retried} retried on another replica`,
      target: "0 before the first token",
      ok: killed.errorsBeforeFirstToken === 0,
    });
  }
  return rows;
}

/** Scenario 10's own table (its columns differ from the main table's): ratios against round-robin. */
export function routingTable(g: NonNullable<BenchResult["routing"]>): string[] {
  const rr = g.results[0];
  const ratio = (v: number, b: number) => (Number.isFinite(v / b) ? `${(v / b).toFixed(2)}×` : "–");
  return [
    `### 10 · routing${g.quick ? " (quick)" : ""}`,
    "",
    g.heading,
    "",
    "| strategy | TTFT p50 ms | TTFT p99 ms | prefix-cache hit rate | replies/s | tokens/s | errors before 1st token | errors after | retried | time to eject | target | |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :-: |",
    ...g.results.map((x) => {
      const killed = x.name.includes("killed");
      return (
        `| ${x.name} | ${f(x.ttftP50, 0)} (${ratio(x.ttftP50, rr.ttftP50)}) | ${f(x.ttftP99, 0)} (${ratio(x.ttftP99, rr.ttftP99)}) | ` +
        `${f(100 * x.hitRate, 1)}% (${ratio(x.hitRate, rr.hitRate)}) | ${f(x.repliesPerS, 2)} (${ratio(x.repliesPerS, rr.repliesPerS)}) | ` +
        `${f(x.tokensPerS, 0)} | ${x.errorsBeforeFirstToken} | ${x.errorsAfterFirstToken} | ${x.retried} | ${x.ejectMs === null ? "–" : `${x.ejectMs} ms`} | ` +
        `${killed ? "0 errors before the first token" : ""} | ${killed ? mark(x.errorsBeforeFirstToken === 0) : ""} |`
      );
    }),
  ];
}

export function markdown(r: BenchResult): string {
  const m = r.meta;
  const s = m.settings;
  const head = [
    `# chatgate bench — ${m.mode} run, ${m.startedAt}`,
    "",
    `Machine: ${m.cores} × ${m.cpu}, ${f(m.memGb, 0)} GB · Node ${m.node} · commit ${m.commit} · ${f(m.durationS, 0)} s`,
    `Database: ${m.database}`,
    `Inference (both paths): base TTFT ${s.baseTtftMs} ms + prefill at ${s.prefillTokensPerS} tokens/s, ` +
      `${s.decodeTokensPerS} tokens/s per stream, ${s.replyTokens} output tokens, ${s.promptChars}-character prompt (~${s.promptTokens} tokens); ` +
      `load: starts spread over ${s.rampMs} ms, ${s.holdMs} ms held at N open streams, then drained.`,
    "",
  ];
  const rows = tableRows(r);
  const table = [
    "| scenario | figure | direct | gateway | ratio / added | target | |",
    "| --- | --- | ---: | ---: | --- | --- | :-: |",
    ...rows.map((x) => `| ${x.scenario} | ${x.figure} | ${x.direct} | ${x.gateway} | ${x.ratio} | ${x.target} | ${mark(x.ok)} |`),
  ];
  const failed = rows.filter((x) => x.ok === false).map((x) => `${x.scenario}: ${x.figure}`);
  const tail = ["", failed.length ? `Targets missed: ${failed.length} (${failed.join("; ")}).` : "All measured targets met."];
  if (r.routing) tail.push("", ...routingTable(r.routing));
  if (r.notes.length) tail.push("", ...r.notes.map((n) => `- ${n}`));
  return [...head, ...table, ...tail].join("\n") + "\n";
}

/** A JSON-friendly copy: histograms and per-stream arrays reduced to figures. */
function serializable(r: BenchResult): unknown {
  return {
    ...r,
    sweep: r.sweep && {
      ...r.sweep,
      runs: r.sweep.runs.map(({ pass, level, kind, m }) => ({
        pass,
        level,
        kind,
        started: m.run.started,
        completed: m.run.completed,
        errors: m.run.errors,
        errorKinds: m.run.errorKinds,
        mismatched: m.run.mismatched,
        ttftP50Ms: percentile(m.run.ttftMs, 50),
        ttftP99Ms: percentile(m.run.ttftMs, 99),
        headersP50Ms: percentile(m.run.headersMs, 50),
        gapP50Ms: m.run.gaps.percentile(50),
        gapP99Ms: m.run.gaps.percentile(99),
        gapMaxMs: m.run.gaps.max,
        gapZeroShare: m.run.gaps.zeroShare(),
        tokens: m.run.tokens,
        deltas: m.run.deltas,
        tokensPerS: m.run.tokensPerS,
        windowMs: m.run.windowMs,
        wallMs: m.run.wallMs,
        loadgenCpuMs: m.run.loadgenCpuMs,
        appCpuMs: m.appCpuMs,
        appSysMs: m.appSysMs,
        appRssBeforeKb: m.appRssBeforeKb,
        simCpuMs: m.simCpuMs,
        appRssPlateauKb: m.appRssPlateauKb,
        appRssPeakKb: m.appRssPeakKb,
        appRssAfterKb: m.appRssAfterKb,
        dbCpuMs: m.dbCpuMs,
        otherPct: m.otherPct,
        otherTop: m.otherTop,
        machineBusyPct: m.machineBusyPct,
        irqPct: m.irqPct,
        stealPct: m.stealPct,
        idleWaitMs: m.idleWaitMs,
        monoStartUs: m.monoStartUs,
        monoEndUs: m.monoEndUs,
        persistFinish: m.persistFinish,
        persistStartTurn: m.persistStartTurn,
        persistCheckpoint: m.persistCheckpoint,
        gatewayTtft: m.gatewayTtft,
      })),
    },
  };
}

export function writeResults(r: BenchResult, dir: string): { md: string; json: string; svg: string } {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = r.meta.startedAt.replace(/[:.]/g, "-");
  const base = path.join(dir, `${stamp}${r.meta.mode === "quick" ? "-quick" : ""}`);
  const out = { md: `${base}.md`, json: `${base}.json`, svg: `${base}.svg` };
  fs.writeFileSync(out.md, markdown(r));
  fs.writeFileSync(out.json, JSON.stringify(serializable(r), (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2));
  fs.writeFileSync(out.svg, renderChart(r));
  return out;
}
