import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import type { FindLimitReport } from '../../../loadgen/report/find-limit-report';
import { chartSpecs } from '../../../loadgen/report/html/chart-specs';
import type { RunReport } from '../../../loadgen/report/report';
import { CHROMIUM_PATH, chromiumAvailable, openViewer, type Viewer } from '../../../tools/headless-chromium';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-html-'));

/** Real reports from real runs: a ramp past the embedded stream's write limits, and a short find-limit. */
async function makeReports(): Promise<{ run: RunReport; findLimit: FindLimitReport }> {
  // One shard takes 1,000 records/s (plus its one-second bucket): this ramp offers more.
  const runArgs = ['run', '--limits', '--shard-limit', 'off', '--shards', '1', '--stages', '1s:1500,2s:2500', '--max-retries', '2', '--seed', '4'];
  await main([...runArgs, '--report', join(dir, 'run.json'), '--report-html', join(dir, 'run.html'), '--quiet'], captureIo());
  const flArgs = ['find-limit', '--shards', '2', '--start-rate', '1500', '--max-rate', '3000', '--step-duration', '500ms', '--settle', '200ms', '--burst', '2s'];
  await main([...flArgs, '--resolution', '0.2', '--seed', '4', '--report', join(dir, 'limit.json'), '--report-html', join(dir, 'limit.html'), '--quiet'], captureIo());
  return {
    run: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport,
    findLimit: JSON.parse(readFileSync(join(dir, 'limit.json'), 'utf8')) as FindLimitReport,
  };
}

let reports: Awaited<ReturnType<typeof makeReports>>;
beforeAll(async () => {
  reports = await makeReports();
});

describe('HTML report: the page', () => {
  it('is one file that loads nothing: uPlot and the chart data are inline', () => {
    for (const name of ['run.html', 'limit.html']) {
      const html = readFileSync(join(dir, name), 'utf8');
      expect(html).not.toMatch(/<script[^>]+src=/i);
      expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
      expect(html).toContain('uPlot');
      expect(html).toMatch(/<script type="application\/json" id="loadgen-charts">\[/);
    }
  });

  it('shows the summary and the settings it ran with, escaped', () => {
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('<th>--stages</th><td>1s:1500,2s:2500</td>');
    expect(html).toContain('<th>--limits</th><td>true</td>');
    expect(html).toContain(`<th>record latency</th><td>p50 `);
    expect(html).toContain(`scheduled ${reports.run.recordsScheduled.toLocaleString('en-US')} = acked`);
    const limit = readFileSync(join(dir, 'limit.html'), 'utf8');
    expect(limit).toContain('<h2>Steps</h2>');
    expect(limit.match(/<tr class="(ok|no)">/g)).toHaveLength(reports.findLimit.steps.length);
  });
});

describe('HTML report: the charts, from the report object', () => {
  it('charts target vs achieved, failures, both latencies and shards from the per-second series', () => {
    const charts = chartSpecs(reports.run);
    expect(charts.map((c) => c.id)).toEqual(['chart-rate', 'chart-failures', 'chart-latency', 'chart-shards']);
    const [rate, failures, latency, shards] = charts;
    expect(rate.x.values).toEqual(reports.run.series.map((p) => p.second));
    expect(rate.series.map((s) => s.label)).toEqual(['target', 'sent', 'acked']);
    expect(rate.series[2].values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(reports.run.recordsAcked);
    expect(failures.series.map((s) => s.label)).toEqual(['throttled', 'retried', 'dropped', 'failed']);
    expect(failures.series[0].values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(reports.run.throttled);
    expect(reports.run.throttled).toBeGreaterThan(0); // the ramp went past the limits
    expect(latency.y.log).toBe(true);
    expect(latency.series.map((s) => s.label)).toEqual(['request p50', 'request p99', 'record p50', 'record p99']);
    expect(shards.x.labels).toEqual(['#0']);
  });

  it('charts a find-limit search step by step and by offered rate', () => {
    const charts = chartSpecs(reports.findLimit);
    expect(charts.map((c) => c.id)).toEqual(['chart-steps', 'chart-knee', 'chart-step-latency', 'chart-shards']);
    const knee = charts[1];
    expect(knee.x.values).toEqual([...knee.x.values].sort((a, b) => a - b));
    expect(knee.x.values).toHaveLength(reports.findLimit.steps.length);
  });
});

describe('HTML report in headless Chromium', () => {
  let viewer: Viewer | undefined;
  beforeAll(async () => {
    if (chromiumAvailable()) viewer = await openViewer();
  }, 60_000);
  afterAll(async () => {
    await viewer?.close();
  });

  it('opens from disk with every chart drawn, no console errors and no request but its own file', async () => {
    if (!viewer) {
      // .ci/run installs Debian's chromium; a machine without it checks the file alone (above) and says so.
      console.log(`HTML report browser check skipped here: no ${CHROMIUM_PATH} (apt-get install -y chromium)`);
      expect(chromiumAvailable()).toBe(false);
      return;
    }
    for (const name of ['run.html', 'limit.html']) {
      const path = join(dir, name);
      const look = await viewer.look(path);
      expect(look.consoleErrors).toEqual([]);
      expect(look.requests.every((url) => url.startsWith('file://'))).toBe(true);
      expect(look.chartsDrawn).toBe(look.plotContainers);
      expect(look.chartsDrawn).toBe(4);
      // uPlot draws each chart on a canvas: axes and grid in gray, the data in color.
      expect(look.coloredPixels).toHaveLength(4);
      for (const colored of look.coloredPixels) expect(colored).toBeGreaterThan(200);
      expect(look.title).toMatch(/^loadgen (run|find-limit): /);
    }
  }, 60_000);
});
