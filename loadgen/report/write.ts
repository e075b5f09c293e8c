import { writeFileSync } from 'node:fs';

/** Writes a report as indented JSON with a final newline. */
export function writeReport(path: string, report: object): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
