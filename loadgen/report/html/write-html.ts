import { writeFileSync } from 'node:fs';
import { renderHtmlReport, type HtmlReportSource } from './render';

/** Writes a report as one self-contained HTML file. */
export function writeHtmlReport(path: string, report: HtmlReportSource): void {
  writeFileSync(path, renderHtmlReport(report));
}
