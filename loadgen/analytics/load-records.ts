/**
 * Loads the lines of `--sink file:` output into DuckDB as the notebook's raw table would hold them: one
 * payload per line, as text, untouched, so the notebook's quarantine checks see exactly what Kinesis would carry.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DuckDBConnection } from '@duckdb/node-api';

/** Files of a folder that hold records: what `--sink file:<name>.jsonl` writes. */
const RECORD_FILE = /\.(jsonl|ndjson)$/;

/** The input could not be read as records; the message says what was expected. */
export class RecordsInputError extends Error {
  override readonly name = 'RecordsInputError';
}

/** A records file, or every .jsonl/.ndjson file directly in a folder (sorted by name). */
export function recordFiles(input: string): string[] {
  let stat;
  try {
    stat = statSync(input);
  } catch {
    throw new RecordsInputError(`no file or folder at ${input}`);
  }
  if (!stat.isDirectory()) return [input];
  const files = readdirSync(input).filter((name) => RECORD_FILE.test(name)).sort();
  if (files.length === 0) throw new RecordsInputError(`no .jsonl or .ndjson records files in the folder ${input}`);
  return files.map((name) => join(input, name));
}

/** Creates `table` (line, payload) and appends every line of `files`; returns the number of lines. */
export async function loadRecordLines(connection: DuckDBConnection, table: string, files: readonly string[]): Promise<number> {
  await connection.run(`CREATE TABLE ${table} (line BIGINT, payload VARCHAR)`);
  const appender = await connection.createAppender(table);
  let line = 0;
  for (const file of files) {
    // Streamed: memory stays flat however long the run was.
    for await (const payload of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      appender.appendBigInt(BigInt(line++));
      appender.appendVarchar(payload);
      appender.endRow();
    }
  }
  appender.closeSync();
  return line;
}
