/**
 * Where `loadgen merge` finds the parts of a run: report files, folders of them (every `.json` directly inside), or
 * an S3 prefix (every `.json` directly under it: a fleet run's folder). Each part is checked to be a run report
 * that can be merged before anything is merged.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getReportText, listReportKeys, parseS3Url, type S3Sender } from '../fleet/report-store';
import type { RunReport } from '../report/report';
import { UsageError, badOption, firstLine } from '../shared/errors';
import { isObject } from '../shared/is-object';
import type { ReportPart } from './merge';

/** A part as read: its name and its text. */
interface RawPart {
  readonly name: string;
  readonly text: string;
}

/** The report in `text`, or a usage error naming the part and what it lacks. */
export function parsePart({ name, text }: RawPart): ReportPart {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not JSON (${firstLine(error)}): expected a loadgen run report`);
  }
  if (!isObject(value) || value.tool !== 'loadgen' || typeof value.runId !== 'string') {
    throw new UsageError(`${name} is not a loadgen run report (one written by run --report, or by a fleet child)`);
  }
  const segment = value.segment;
  const histograms = value.histograms;
  if (!isObject(segment) || !Number.isInteger(segment.index) || !Number.isInteger(segment.count) || !isObject(histograms) || typeof histograms.latencyMs !== 'string') {
    throw new UsageError(`${name} has no segment or latency histogram: it was written by a loadgen without --segment, whose reports cannot be merged exactly`);
  }
  return { name, report: value as unknown as RunReport };
}

function readLocal(path: string): RawPart[] {
  if (!existsSync(path)) throw new UsageError(badOption('<reports>', path, 'report files, folders of them, or s3://bucket/prefix/'));
  if (!statSync(path).isDirectory()) return [{ name: path, text: readFileSync(path, 'utf8') }];
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(badOption('<reports>', path, 'a folder with .json reports in it'));
  return files.map((file) => ({ name: file, text: readFileSync(file, 'utf8') }));
}

async function readS3(url: string, client: S3Sender): Promise<RawPart[]> {
  const location = parseS3Url(url);
  if (!location) throw new UsageError(badOption('<reports>', url, 's3://bucket/prefix/ (a run folder: s3://<bucket>/<prefix><run id>/)'));
  const keys = await listReportKeys(client, location.bucket, location.prefix);
  if (keys.length === 0) throw new UsageError(badOption('<reports>', url, 'an S3 prefix with .json reports directly under it'));
  return readS3Keys(client, location.bucket, keys);
}

function readS3Keys(client: S3Sender, bucket: string, keys: readonly string[]): Promise<RawPart[]> {
  return Promise.all(keys.map(async (key) => ({ name: `s3://${bucket}/${key}`, text: await getReportText(client, bucket, key) })));
}

/** The reports at `keys` (already listed, as a fleet run lists its folder), each checked as a part. */
export async function readS3Parts(client: S3Sender, bucket: string, keys: readonly string[]): Promise<ReportPart[]> {
  return (await readS3Keys(client, bucket, keys)).map(parsePart);
}

/** Every part the inputs name, in order; `s3Client` is asked for only when an input is an S3 URL. */
export async function readParts(inputs: readonly string[], s3Client: () => S3Sender): Promise<ReportPart[]> {
  const raw: RawPart[] = [];
  for (const input of inputs) raw.push(...(input.startsWith('s3://') ? await readS3(input, s3Client()) : readLocal(input)));
  return raw.map(parsePart);
}
