/**
 * Opens a local HTML file in the system's Chromium (Debian's `chromium` package), headless, with no network
 * besides the file itself, and tells what a reader would see: console errors, requests, charts drawn and
 * whether each canvas has pixels on it. Used by the HTML report's test and to take the README's screenshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags a headless Chromium needs here: no sandbox (containers), no GPU, nothing phoning home. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface PageLook {
  readonly consoleErrors: readonly string[];
  /** Every URL the page asked for; only its own file:// URL is allowed through. */
  readonly requests: readonly string[];
  readonly chartsDrawn: number;
  readonly plotContainers: number;
  /**
   * Per canvas: how many pixels are in color. Axes, grid lines and labels are gray; only drawn series (lines,
   * points, bars) are colored, so this counts what the data put on the chart.
   */
  readonly coloredPixels: readonly number[];
  readonly title: string;
}

export interface Viewer {
  look(htmlPath: string, screenshotPath?: string): Promise<PageLook>;
  close(): Promise<void>;
}

/** Counts, for every canvas, the pixels in color (channel spread over 50): series, not axes or grid. */
const COLORED_PIXELS = `Array.from(document.querySelectorAll('canvas')).map((c) => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let colored = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    const max = Math.max(data[i], data[i + 1], data[i + 2]);
    const min = Math.min(data[i], data[i + 1], data[i + 2]);
    if (max - min > 50) colored++;
  }
  return colored;
})`;

export async function openViewer(viewport = { width: 1280, height: 900 }): Promise<Viewer> {
  if (!chromiumAvailable()) throw new Error(`no ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'loadgen-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    async look(htmlPath, screenshotPath) {
      const page = await context.newPage();
      const own = pathToFileURL(htmlPath).href;
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        requests.push(url);
        return url === own ? route.continue() : route.abort();
      });
      await page.goto(own);
      await page.waitForSelector('body[data-charts-drawn]', { timeout: 15_000 });
      const chartsDrawn = Number(await page.getAttribute('body', 'data-charts-drawn'));
      const plotContainers = await page.locator('.plot').count();
      const coloredPixels = (await page.evaluate(COLORED_PIXELS)) as number[];
      // The top of the page: headline, key figures and the charts (the tables follow below).
      if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: false });
      const title = await page.title();
      await page.close();
      return { consoleErrors, requests, chartsDrawn, plotContainers, coloredPixels, title };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
