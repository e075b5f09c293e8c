import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The processor notebook, as deployed by the Databricks stack. */
export const NOTEBOOK_PATH = resolve(__dirname, '../../notebooks/iot_stream_processor.py');

export interface HelperCall {
  readonly fn: string;
  readonly args?: readonly unknown[];
}

export type HelperResult = { ok: unknown; error?: undefined } | { error: string; ok?: undefined };

export interface NotebookInspection {
  firstLine: string;
  cellCount: number;
  widgetDefaults: Record<string, string>;
  definedWidgets: string[];
  readWidgets: string[];
  unresolvedWidgetCalls: string[];
  schema: { path: string; sparkType: string }[];
  requiredFields: string[];
  dedupKey: string[];
  processedColumns: [string, string][];
  processedExprKeys: string[];
  writerOptions: string[];
  kinesisOptionKeys: string[];
  strings: string[];
  calls: HelperResult[];
}

/**
 * Runs __tests__/databricks/inspect_notebook.py (python3, no Spark) over a notebook: it compiles the file,
 * extracts widgets, schema and option names, and evaluates `calls` against the notebook's pure-helper cell.
 * Throws with python's stderr when the notebook does not parse.
 */
export function inspectNotebook(calls: readonly HelperCall[] = [], notebookPath = NOTEBOOK_PATH): NotebookInspection {
  const out = execFileSync('python3', [resolve(__dirname, 'inspect_notebook.py'), notebookPath], {
    input: JSON.stringify({ calls }),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as NotebookInspection;
}
