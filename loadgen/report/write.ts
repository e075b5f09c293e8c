import { writeFileSync } from 'node:fs';
import type { HtmlReportSource } from './html/render';
import { writeHtmlReport } from './html/write-html';

/** Writes a report as indented JSON with a final newline. */
export function writeReport(path: string, report: object): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** The JSON report and the HTML report, each to the path asked for (`--report`, `--report-html`), if any. */
export function writeReports(paths: { readonly report?: string; readonly reportHtml?: string }, report: HtmlReportSource): void {
  if (paths.report) writeReport(paths.report, report);
  if (paths.reportHtml) writeHtmlReport(paths.reportHtml, report);
}
