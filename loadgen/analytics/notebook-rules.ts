/**
 * The processor notebook's rules (is_critical, is_anomaly, quarantine reason, dedup key, processed columns) as the notebook itself
 * computes them: notebook_rules.py runs the notebook's pure-helper cell with python3, so the offline preview
 * applies the SQL the Databricks job runs, never a copy of it.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { firstLine } from '../shared/errors';

export const NOTEBOOK_PATH = resolve(__dirname, '../../notebooks/iot_stream_processor.py');
const RULES_SCRIPT = resolve(__dirname, 'notebook_rules.py');

export interface NotebookRules {
  /** The flag widgets' values in force: the notebook's defaults overridden by the ones asked for. */
  readonly widgets: Readonly<Record<string, string>>;
  /** SQL over the processed columns. */
  readonly isCritical: string;
  readonly isAnomaly: string;
  /** A CASE expression over `payload` and the parsed `record`: the first failing check's reason, else NULL. */
  readonly quarantineReason: string;
  /** Columns identifying one reading: a retried write of it is dropped. */
  readonly dedupKey: readonly string[];
  /** The processed table's columns, in the notebook's order. */
  readonly processedColumns: readonly string[];
}

/** The notebook rejected a widget value; the message names the widget, the value and what is allowed. */
export class NotebookSettingsError extends Error {
  override readonly name = 'NotebookSettingsError';
}

/** Python is missing or the notebook could not be read: the preview cannot run. */
export class NotebookRulesUnavailable extends Error {
  override readonly name = 'NotebookRulesUnavailable';
}

export function readNotebookRules(widgets: Readonly<Record<string, string>> = {}, notebookPath = NOTEBOOK_PATH): NotebookRules {
  let out: string;
  try {
    out = execFileSync('python3', [RULES_SCRIPT, notebookPath], {
      input: JSON.stringify({ widgets }),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new NotebookRulesUnavailable("python3 is not on PATH: it runs the notebook's helper cell to read its rules");
    }
    const reason = (e.stderr ?? '').trim().split('\n').pop() || firstLine(error);
    if (e.status === 2) throw new NotebookSettingsError(reason);
    throw new NotebookRulesUnavailable(`cannot read the rules of ${notebookPath}: ${reason}`);
  }
  return JSON.parse(out) as NotebookRules;
}
