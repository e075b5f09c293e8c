/**
 * `loadgen analytics`: the dashboard's two charts previewed offline, from records a run wrote with
 * `--sink file:`, with the notebook's own rules and the chart queries of notebooks/sql/ (loadgen/analytics/).
 */
import { analyzeRecords } from '../analytics/analytics';
import { RecordsInputError } from '../analytics/load-records';
import { NotebookRulesUnavailable, NotebookSettingsError } from '../analytics/notebook-rules';
import { formatAnalytics } from '../analytics/text';
import { writeReport } from '../report/write';
import { RunError, UsageError } from '../shared/errors';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from './io';
import type { AnalyticsOptions } from './options';

function explain(error: unknown, options: AnalyticsOptions): unknown {
  if (error instanceof NotebookSettingsError) return new UsageError(`invalid --widgets: ${error.message}`);
  if (error instanceof RecordsInputError) return new UsageError(`invalid records ${JSON.stringify(options.input)}: ${error.message}`);
  if (error instanceof NotebookRulesUnavailable) return new RunError(error.message);
  return error;
}

export async function analyticsCommand(options: AnalyticsOptions, io: CommandIo): Promise<number> {
  let result;
  try {
    result = await analyzeRecords({ input: options.input, widgets: options.widgets, now: options.now });
  } catch (error) {
    throw explain(error, options);
  }
  if (options.report) writeReport(options.report, result);
  io.stdout.write(`${options.json ? JSON.stringify(result, null, 2) : formatAnalytics(result)}\n`);
  if (result.lines === 0) {
    io.stderr.write(`loadgen: no records in ${options.input}\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
