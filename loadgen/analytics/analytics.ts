/**
 * The offline preview of the pipeline's analytics: records written by `--sink file:` go into an embedded
 * DuckDB as the raw table, the notebook's own rules derive the processed and quarantine tables, and the
 * dashboard's chart queries run on them. The result is plain JSON: the text output, `--report` and any HTML
 * report render the same `charts`.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { runCharts, query, type ChartTable } from './charts';
import { DATABRICKS_FUNCTION_SHIMS } from './databricks-dialect';
import { loadRecordLines, recordFiles } from './load-records';
import { readNotebookRules, NOTEBOOK_PATH } from './notebook-rules';
import { deriveTables } from './processed-tables';

export type { ChartTable } from './charts';

export interface AnalyticsRequest {
  /** A records file, or a folder of .jsonl/.ndjson records files. */
  readonly input: string;
  /** Flag widgets to override (critical_rule, critical_temperature_c, ...); the rest keep the notebook's defaults. */
  readonly widgets?: Readonly<Record<string, string>>;
  /** The end of the charts' time windows; default: the newest reading's event time. */
  readonly now?: Date;
  readonly notebookPath?: string;
}

export interface AnalyticsResult {
  readonly files: readonly string[];
  /** Lines read: one payload each. */
  readonly lines: number;
  /** Readings in the processed table (retried writes counted once). */
  readonly processed: number;
  /** Lines dropped as a retried write of a reading already processed. */
  readonly duplicates: number;
  readonly quarantined: number;
  readonly quarantineReasons: Readonly<Record<string, number>>;
  readonly critical: number;
  readonly anomalies: number;
  /** The rules applied, as the notebook computed them. */
  readonly rules: { readonly widgets: Readonly<Record<string, string>>; readonly isCritical: string; readonly isAnomaly: string };
  readonly firstEvent: string | null;
  readonly lastEvent: string | null;
  /** Where the 24-hour and 60-minute windows end (ISO, UTC), and why there. */
  readonly windowEnd: string;
  readonly windowEndFrom: 'newest reading' | 'requested' | 'clock';
  readonly charts: readonly ChartTable[];
}

const num = (value: unknown): number => Number(value ?? 0);

export async function analyzeRecords(request: AnalyticsRequest): Promise<AnalyticsResult> {
  const files = recordFiles(request.input);
  const rules = readNotebookRules(request.widgets ?? {}, request.notebookPath ?? NOTEBOOK_PATH);
  // One thread: parallel sums add floating-point numbers in a varying order, and the same records must give
  // the same averages to the last digit (a preview compared run to run, tests that compare exactly).
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const shim of DATABRICKS_FUNCTION_SHIMS) await connection.run(shim);
    const lines = await loadRecordLines(connection, 'raw', files);
    await deriveTables(connection, rules);
    const [counts] = (
      await query(
        connection,
        'SELECT count(*) AS processed, count_if(is_critical) AS critical, count_if(is_anomaly) AS anomalies, ' +
          'min(event_timestamp) AS first_event, max(event_timestamp) AS last_event, ' +
          '(SELECT count(*) FROM quarantine) AS quarantined FROM processed',
      )
    ).rows;
    const reasons = (await query(connection, 'SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason')).rows;
    const lastEvent = (counts.last_event as string | null) ?? null;
    const windowEndFrom = request.now ? 'requested' : lastEvent ? 'newest reading' : 'clock';
    const windowEnd = request.now ?? (lastEvent ? new Date(lastEvent) : new Date());
    const processed = num(counts.processed);
    const quarantined = num(counts.quarantined);
    return {
      files,
      lines,
      processed,
      duplicates: lines - processed - quarantined,
      quarantined,
      quarantineReasons: Object.fromEntries(reasons.map((r) => [String(r.reason), num(r.n)])),
      critical: num(counts.critical),
      anomalies: num(counts.anomalies),
      rules: { widgets: rules.widgets, isCritical: rules.isCritical, isAnomaly: rules.isAnomaly },
      firstEvent: (counts.first_event as string | null) ?? null,
      lastEvent,
      windowEnd: windowEnd.toISOString(),
      windowEndFrom,
      charts: await runCharts(connection, 'processed', windowEnd),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
