/** Loading the generator a command drives, and the seeds derived from --seed: shared by run and find-limit. */
import { randomUUID } from 'node:crypto';
import { InvalidRecordError, encodeRecord } from '../engine/record';
import { GeneratorLoadError, loadGenerator } from '../generators/loader';
import type { GeneratorContext, GeneratorPlugin } from '../generators/types';
import { UsageError, badOption } from '../shared/errors';
import type { ProducerOptions } from './options';

const SAMPLE_RECORDS = 200;
/** Salt so the retry jitter's random sequence differs from the generator's under the same seed. */
export const JITTER_SEED_SALT = 0x6a177e2;

/** A generator's fault is a usage error naming --generator. */
export function asGeneratorUsageError(error: unknown, spec: string): unknown {
  if (error instanceof GeneratorLoadError) return new UsageError(badOption('--generator', spec, error.expected));
  if (error instanceof InvalidRecordError) return new UsageError(`invalid --generator ${JSON.stringify(spec)}: ${error.message}`);
  return error;
}

/** Loads the generator and checks a sample of its records; returns their average size (for --rate auto). */
export async function prepareGenerator(spec: string, ctx: GeneratorContext): Promise<{ plugin: GeneratorPlugin; avgRecordBytes: number }> {
  try {
    const plugin = await loadGenerator(spec);
    const sampler = plugin.create(ctx);
    let bytes = 0;
    for (let i = 0; i < SAMPLE_RECORDS; i++) bytes += encodeRecord(sampler.next()).bytes;
    return { plugin, avgRecordBytes: bytes / SAMPLE_RECORDS };
  } catch (error) {
    throw asGeneratorUsageError(error, spec);
  }
}

/** A run's id, its generator's context and the loaded, checked generator. */
export async function setUpGenerator(options: ProducerOptions): Promise<{ runId: string; ctx: GeneratorContext; plugin: GeneratorPlugin; avgRecordBytes: number }> {
  const runId = randomUUID();
  const ctx: GeneratorContext = { seed: options.seed, devices: options.devices, anomalyRate: options.anomalyRate, workerIndex: 0, workerCount: 1, runId };
  return { runId, ctx, ...(await prepareGenerator(options.generator, ctx)) };
}
