/**
 * The HTML report: one self-contained file (uPlot's code and styles inlined from node_modules, no network when
 * opened) rendered from a report object: `run`'s and `find-limit`'s today, any other command's that brings its
 * own charts and tables (chart-specs.ts) tomorrow. Key figures, one chart per question, the summary table and
 * the run's settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindLimitReport } from '../find-limit-report';
import type { RunReport } from '../report';
import { int } from '../../shared/format';
import type { LatencySummary } from '../../metrics/ledger';
import { chartSpecs } from './chart-specs';

export type HtmlReportSource = RunReport | FindLimitReport;

type Row = readonly [label: string, value: string];

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Inlined code must not close its own <script> element. */
const inlineScript = (code: string): string => code.replace(/<\/script/gi, '<\\/script');

/** JSON inside <script type="application/json">: no "<" can end the element. */
const inlineJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

let assets: { uplotJs: string; uplotCss: string; drawJs: string } | undefined;
function loadAssets(): NonNullable<typeof assets> {
  assets ??= {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    drawJs: readFileSync(join(__dirname, 'draw-charts.js'), 'utf8'),
  };
  return assets;
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : int(value)} ms`;
const latency = (l: LatencySummary): string => `p50 ${ms(l.p50)} · p90 ${ms(l.p90)} · p99 ${ms(l.p99)} · p99.9 ${ms(l.p999)} · max ${ms(l.max)}`;
const pct = (x: number): string => `${(100 * x).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;

function table(rows: readonly Row[], cls = 'kv'): string {
  return `<table class="${cls}"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
}

function figures(items: readonly { label: string; value: string; tone?: 'good' | 'bad' | 'warn' }[]): string {
  return `<div class="figures">${items
    .map((f) => `<div class="figure ${f.tone ?? ''}"><div class="value">${escapeHtml(f.value)}</div><div class="label">${escapeHtml(f.label)}</div></div>`)
    .join('')}</div>`;
}

function targetText(t: RunReport['target']): string {
  if (t.embedded) return `embedded Kinesis, stream ${t.stream}`;
  if (t.sink !== 'kinesis') return `${t.sink} sink`;
  return `stream ${t.stream} (${t.endpoint ?? `region ${t.region}`})`;
}

function settingsRows(settings: RunReport['settings']): Row[] {
  return Object.entries(settings)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => [`--${key}`, String(value)]);
}

function runBody(r: RunReport): { headline: string; figures: string; tables: string } {
  const bad = r.recordsFailed + r.droppedRecords + r.recordsUnsent;
  const items: { label: string; value: string; tone?: 'good' | 'bad' | 'warn' }[] = [
    { label: 'target records/s', value: r.targetRate === null ? 'max' : int(r.targetRate) },
    { label: 'achieved records/s', value: int(r.achievedRate) },
    { label: 'acked', value: int(r.recordsAcked), tone: bad ? 'warn' : 'good' },
    { label: 'throttled', value: int(r.throttled), tone: r.throttled ? 'warn' : 'good' },
    { label: 'dropped', value: int(r.droppedRecords), tone: r.droppedRecords ? 'bad' : 'good' },
    { label: 'failed', value: int(r.recordsFailed), tone: r.recordsFailed ? 'bad' : 'good' },
    { label: 'record latency p99', value: ms(r.recordLatencyMs.p99) },
  ];
  if (r.verify) items.push({ label: 'missing (verify)', value: int(r.verify.missing), tone: r.verify.missing ? 'bad' : 'good' });
  if (r.consumer) {
    const bounded = r.consumer.iteratorAgeBounded;
    items.push({ label: 'consumer iterator age', value: bounded === null ? 'no data' : bounded ? 'bounded' : 'growing', tone: bounded === false ? 'bad' : bounded ? 'good' : 'warn' });
  }
  const summary: Row[] = [
    ['stop reason', `${r.stopReason}${r.unreachable ? ` (${r.unreachable.code} for ${r.unreachable.forSeconds} s)` : ''}, exit code ${r.exitCode}`],
    ['rate', r.rateExplanation],
    ['duration', `${r.durationSeconds.toFixed(1)} s`],
    ['records', `scheduled ${int(r.recordsScheduled)} = acked ${int(r.recordsAcked)} + failed ${int(r.recordsFailed)} + dropped ${int(r.droppedRecords)} + unsent ${int(r.recordsUnsent)}`],
    ['bytes acked', int(r.bytesAcked)],
    ['requests', `${int(r.requests)} PutRecords, ${int(r.requestErrors)} failed whole${Object.keys(r.requestErrorCodes).length ? ` ${JSON.stringify(r.requestErrorCodes)}` : ''}`],
    ['retries', `${int(r.retries)} (throttled entries ${int(r.throttled)})`],
    ['request latency', latency(r.latencyMs)],
    ['record latency', latency(r.recordLatencyMs)],
    ['routing mismatches', int(r.routingMismatches)],
    ...(Object.keys(r.failureCodes).length ? [['failure codes', JSON.stringify(r.failureCodes)] as Row] : []),
    ...(r.verify
      ? [['verify', `received ${int(r.verify.received)}, matched ${int(r.verify.matched ?? r.verify.received)}, missing ${int(r.verify.missing)}, duplicates ${int(r.verify.duplicates)}`] as Row]
      : []),
    ...(r.consumer ? [['consumer (CloudWatch)', r.consumer.verdict] as Row] : []),
    ['client', `${r.client.cpuSeconds} CPU s, ${r.client.maxRssMB} MB max RSS`],
  ];
  const context: Row[] = [
    ['target', targetText(r.target)],
    ['region', r.target.region],
    ['generator', r.generator],
    ['seed', String(r.seed)],
    ['run id', r.runId],
    ['started', r.startedAt],
  ];
  return {
    headline: `${int(r.achievedRate)} records/s achieved of ${r.targetRate === null ? 'max' : `${int(r.targetRate)}/s`} target, ${r.stopReason}`,
    figures: figures(items),
    tables: `<h2>Summary</h2>${table(summary)}<h2>Settings</h2>${table([...context, ...settingsRows(r.settings)])}`,
  };
}

function findLimitBody(r: FindLimitReport): { headline: string; figures: string; tables: string } {
  const items = [
    { label: 'max sustained records/s', value: r.maxSustainedRate === null ? 'none' : int(r.maxSustainedRate), tone: r.maxSustainedRate === null ? ('bad' as const) : ('good' as const) },
    { label: 'throttling began at records/s', value: r.throttleOnsetRate === null ? 'not seen' : int(r.throttleOnsetRate) },
    { label: 'nominal records/s', value: int(r.nominalCapacity.recordsPerSecond) },
    { label: 'steps', value: String(r.steps.length) },
    { label: 'records sent', value: int(r.recordsSent) },
  ];
  const header = ['step', 'phase', 'offered/s', 'achieved/s', 'throttled', 'dropped', 'record p99', 'outcome'];
  const stepRows = r.steps.map((s) => [
    String(s.step),
    s.phase,
    int(s.targetRate),
    int(s.achievedRate),
    pct(s.throttledShare),
    int(s.dropped),
    ms(s.recordLatencyMs.p99),
    s.sustained ? 'sustained' : s.limitedBy === 'producer' ? 'loadgen fell short' : 'throttled',
  ]);
  const steps = `<table class="grid"><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${stepRows
    .map((row, i) => `<tr class="${r.steps[i].sustained ? 'ok' : 'no'}">${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const context: Row[] = [
    ['target', targetText(r.target)],
    ['region', r.target.region],
    ['open shards', String(r.nominalCapacity.openShards)],
    ['record size', `${r.nominalCapacity.avgRecordBytes} B on average`],
    ['generator', r.generator],
    ['seed', String(r.seed)],
    ['run id', r.runId],
    ['started', r.startedAt],
    ['duration', `${r.durationSeconds.toFixed(0)} s`],
    ['stop reason', `${r.stopReason}, exit code ${r.exitCode}`],
  ];
  return {
    headline: r.verdict,
    figures: figures(items),
    tables: `<h2>Steps</h2>${steps}<h2>Settings</h2>${table([...context, ...settingsRows(r.settings)])}`,
  };
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6570; --line: #d9dee3; --good: #0a7a45; --bad: #b00020; --warn: #a15c00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { font-size: 20px; margin: 0 0 4px; }
header .meta { color: var(--muted); }
.headline { margin: 14px 0 18px; padding: 12px 16px; background: #fff; border-left: 4px solid #0072B2; border-radius: 4px; font-size: 15px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 18px; }
.figure { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); font-size: 12px; }
.figure.good .value { color: var(--good); } .figure.bad .value { color: var(--bad); } .figure.warn .value { color: var(--warn); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 14px; }
section.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px 6px; min-width: 0; }
section.chart h2 { font-size: 15px; margin: 0; }
section.chart p { color: var(--muted); font-size: 12px; margin: 2px 0 6px; }
h2 { font-size: 16px; margin: 26px 0 8px; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); width: 100%; font-variant-numeric: tabular-nums; }
table.kv th { text-align: left; width: 220px; color: var(--muted); font-weight: 500; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
table.grid thead th { background: #eef1f4; }
table.grid tr.no td:last-child { color: var(--bad); } table.grid tr.ok td:last-child { color: var(--good); }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
.uplot .u-title { display: none; }
`;

export function renderHtmlReport(report: HtmlReportSource): string {
  const { uplotJs, uplotCss, drawJs } = loadAssets();
  const charts = chartSpecs(report);
  const body = report.command === 'find-limit' ? findLimitBody(report) : runBody(report);
  const title = report.command === 'find-limit' ? 'loadgen find-limit' : 'loadgen run';
  const meta = `${targetText(report.target)} · started ${report.startedAt} · seed ${report.seed}`;
  const chartHtml = charts
    .map((c) => `<section class="chart"><h2>${escapeHtml(c.title)}</h2><p>${escapeHtml(c.note)}</p><div class="plot" id="${c.id}"></div></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(`${title}: ${body.headline}`)}</title>
<style>${uplotCss}</style>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)} report</h1><div class="meta">${escapeHtml(meta)}</div></header>
<div class="headline">${escapeHtml(body.headline)}</div>
${body.figures}
<div class="charts">
${chartHtml}
</div>
${body.tables}
<footer>Written by loadgen. One self-contained file: charts drawn with uPlot (MIT), inlined; nothing is loaded from the network.</footer>
</main>
<script type="application/json" id="loadgen-charts">${inlineJson(charts)}</script>
<script>${inlineScript(uplotJs)}</script>
<script>${inlineScript(drawJs)}</script>
</body>
</html>
`;
}
