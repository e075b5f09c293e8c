/** `loadgen run`: set up the target, generator and schedule, drive the engine, verify, report. */
import { randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './client';
import { Engine, type EngineResult } from './engine';
import { RunError, UsageError, badOption } from './errors';
import { loadGenerator } from './generators/loader';
import type { GeneratorContext } from './generators/types';
import { startEmbeddedStream, type LocalKinesis } from './local-server';
import { EMBEDDED_STREAM_NAME, type RunOptions } from './options';
import { createProgress } from './progress';
import { planRate } from './rate';
import { encodeRecord } from './record';
import { buildReport, formatSummary, writeReport, type RunReport } from './report';
import { Pacer } from './scheduler';
import type { ShardRange } from './shard-map';
import { createSink, type Sink } from './sinks';
import type { KinesisSender } from './sinks/kinesis';
import { verifyAcked, type VerifyResult } from './verify';

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Install a SIGINT handler (off in tests that drive stop() themselves). */
  readonly handleSignals: boolean;
}

export interface RunHooks {
  /** Wraps the Kinesis client, e.g. to inject faults in tests. */
  readonly wrapClient?: (client: KinesisClient) => KinesisSender;
  readonly onEngine?: (engine: Engine) => void;
}

export interface RunOutcome {
  readonly exitCode: number;
  readonly report: RunReport;
}

const SAMPLE_RECORDS = 200;

function describeTarget(options: RunOptions): string {
  return options.endpoint ? `${options.endpoint} (${options.region})` : `region ${options.region}`;
}

async function listShardsOrExplain(sink: Sink, options: RunOptions): Promise<ShardRange[] | null> {
  try {
    return await sink.listShards();
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === 'ResourceNotFoundException') {
      throw new UsageError(badOption('--stream', options.stream, `an existing stream at ${describeTarget(options)}`));
    }
    throw new RunError(`cannot list the shards of ${options.stream} at ${describeTarget(options)}: ${e.name ?? 'Error'}: ${(e.message ?? '').split('\n')[0]}`);
  }
}

export async function runLoad(options: RunOptions, io: CommandIo, hooks: RunHooks = {}): Promise<RunOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const plugin = await loadGenerator(options.generator);
  const runId = randomUUID();
  const ctx: GeneratorContext = {
    seed: options.seed,
    devices: options.devices,
    anomalyRate: options.anomalyRate,
    workerIndex: 0,
    workerCount: 1,
    runId,
  };
  // A throwaway instance: checks the generator's records up front and measures their size for --rate auto.
  const sampler = plugin.create(ctx);
  let sampleBytes = 0;
  for (let i = 0; i < SAMPLE_RECORDS; i++) sampleBytes += encodeRecord(sampler.next(), options.generator).bytes;

  let embedded: LocalKinesis | undefined;
  let client: KinesisClient | undefined;
  let sink: Sink | undefined;
  try {
    let streamName = options.stream;
    if (options.sink.kind === 'kinesis') {
      const maxSockets = options.concurrency + 4;
      if (streamName === undefined) {
        streamName = EMBEDDED_STREAM_NAME;
        const started = await startEmbeddedStream(streamName, options.shards, 0, maxSockets);
        embedded = started.server;
        client = started.client;
        log(`embedded Kinesis at ${embedded.endpoint}, stream ${streamName} with ${options.shards} shards`);
      } else {
        client = createKinesisClient({ region: options.region, endpoint: options.endpoint, maxSockets });
      }
    }
    const sender = client && (hooks.wrapClient ? hooks.wrapClient(client) : client);
    sink = createSink(options.sink, sender && streamName ? { client: sender, streamName } : undefined);
    const shards = await listShardsOrExplain(sink, options);
    if (shards !== null && shards.length === 0) throw new RunError(`stream ${streamName} has no open shards`);

    const plan = planRate(options, shards ? shards.length : null, sampleBytes / SAMPLE_RECORDS);
    log(`rate ${plan.targetRate === null ? 'max' : `${Math.round(plan.targetRate)}/s`}: ${plan.explanation}`);

    const startedAt = new Date();
    const engine = new Engine(
      { sink, generator: plugin.create(ctx), generatorName: options.generator, pacer: new Pacer(plan.schedule), shards },
      {
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        maxRetries: options.maxRetries,
        shardLimit: options.shardLimit,
        drainTimeoutMs: options.drainTimeoutMs,
        recordAcks: options.verify,
      },
    );
    hooks.onEngine?.(engine);
    const result = await driveEngine(engine, io, options);

    let verify: VerifyResult | undefined;
    if (options.verify && sender && streamName) {
      log('verifying: reading every shard back from the run start');
      // The embedded stream is new: read it all. Elsewhere start a second early (arrival-time precision).
      const since = embedded ? undefined : new Date(startedAt.getTime() - 1000);
      verify = await verifyAcked(sender, streamName, since, result.acks ?? new Map());
    }
    const exitCode = exitCodeFor(result, verify);
    const report = buildReport(
      {
        startedAt,
        target: { sink: options.sink.kind, stream: streamName, endpoint: embedded?.endpoint ?? options.endpoint, embedded: !!embedded, region: options.region },
        generator: plugin.name,
        seed: options.seed,
        runId,
        rateMode: plan.mode,
        targetRate: plan.targetRate,
        rateExplanation: plan.explanation,
      },
      result,
      verify,
      exitCode,
    );
    if (options.report) writeReport(options.report, report);
    // With --sink stdout the records own stdout.
    const summaryOut = options.sink.kind === 'stdout' ? io.stderr : io.stdout;
    if (!options.quiet) summaryOut.write(`${formatSummary(report)}\n`);
    return { exitCode, report };
  } finally {
    await sink?.close();
    client?.destroy();
    await embedded?.close();
  }
}

/** 1 when any record permanently failed, was left unconfirmed, or was not read back. */
export function exitCodeFor(result: EngineResult, verify: VerifyResult | undefined): number {
  if (result.metrics.recordsFailed > 0 || result.unsent > 0) return 1;
  if (verify && verify.missing > 0) return 1;
  return 0;
}

async function driveEngine(engine: Engine, io: CommandIo, options: RunOptions): Promise<EngineResult> {
  const progress = createProgress(io.stderr, options.quiet);
  const timer = setInterval(() => progress.update(engine.snapshot()), io.stderr.isTTY ? 250 : 1000);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      if (!options.quiet) io.stderr.write('\n[loadgen] Ctrl-C: stopping, draining in-flight records (Ctrl-C again to quit now)\n');
      engine.stop();
    } else {
      process.exit(130);
    }
  };
  if (io.handleSignals) process.on('SIGINT', onSigint);
  try {
    return await engine.run();
  } finally {
    clearInterval(timer);
    progress.stop();
    if (io.handleSignals) process.off('SIGINT', onSigint);
  }
}
