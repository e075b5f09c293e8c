/** Loading the generator a command drives, and the seeds derived from --seed: shared by run and find-limit. */
import { randomUUID } from 'node:crypto';
import { InvalidRecordError, copyRecord, encodeRecord, type PendingRecord } from '../engine/record';
import { GeneratorLoadError, loadGenerator } from '../generators/loader';
import type { GeneratorContext, GeneratorPlugin } from '../generators/types';
import { UsageError, badOption } from '../shared/errors';
import type { ProducerOptions } from './options';

/** Records sampled before the run, for their average size and for how their keys fall on the shards. */
const SAMPLE_RECORDS = 20_000;
/** ...unless they are large: this many bytes are enough. */
const SAMPLE_BYTES = 64 * 1024 * 1024;
const NO_DATA = new Uint8Array(0);
/** Salt so the retry jitter's random sequence differs from the generator's under the same seed. */
export const JITTER_SEED_SALT = 0x6a177e2;

/** A generator's fault is a usage error naming --generator. */
export function asGeneratorUsageError(error: unknown, spec: string): unknown {
  if (error instanceof GeneratorLoadError) return new UsageError(badOption('--generator', spec, error.expected));
  if (error instanceof InvalidRecordError) return new UsageError(`invalid --generator ${JSON.stringify(spec)}: ${error.message}`);
  return error;
}

export interface GeneratorSample {
  readonly plugin: GeneratorPlugin;
  readonly avgRecordBytes: number;
  /** The sampled records' keys (their data dropped), for how they will fall on the shards. */
  readonly keys: readonly PendingRecord[];
}

/** Loads the generator and checks a sample of its records: their average size and their keys plan --rate auto. */
export async function prepareGenerator(spec: string, ctx: GeneratorContext): Promise<GeneratorSample> {
  try {
    const plugin = await loadGenerator(spec);
    const sampler = plugin.create(ctx);
    const keys: PendingRecord[] = [];
    let bytes = 0;
    while (keys.length < SAMPLE_RECORDS && bytes < SAMPLE_BYTES) {
      const record = encodeRecord(sampler.next());
      bytes += record.bytes;
      keys.push(copyRecord(record, NO_DATA));
    }
    return { plugin, avgRecordBytes: bytes / keys.length, keys };
  } catch (error) {
    throw asGeneratorUsageError(error, spec);
  }
}

/** A run's id, its generator's context and the loaded, checked generator with its sample. */
export async function setUpGenerator(options: ProducerOptions): Promise<{ runId: string; ctx: GeneratorContext } & GeneratorSample> {
  const runId = randomUUID();
  const ctx: GeneratorContext = { seed: options.seed, devices: options.devices, anomalyRate: options.anomalyRate, workerIndex: 0, workerCount: 1, runId };
  return { runId, ctx, ...(await prepareGenerator(options.generator, ctx)) };
}
