import { PassThrough } from 'node:stream';
import { ListShardsCommand, PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry, type Shard } from '@aws-sdk/client-kinesis';
import { parseRunOptions } from '../../loadgen/cli/parse-options';
import type { CommandIo } from '../../loadgen/commands/io';
import { localCommand } from '../../loadgen/commands/local';
import type { LocalOptions, RunOptions } from '../../loadgen/commands/options';
import { startEmbeddedStream } from '../../loadgen/kinesis/local-server';
import type { KinesisSender } from '../../loadgen/kinesis/shards';

/** `run` options from raw command-line values, quiet and seeded unless the test says otherwise. */
export function runOptions(raw: Record<string, string | boolean>, seed = '7'): RunOptions {
  const parsed = parseRunOptions({ quiet: true, seed, ...raw });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.options;
}

/** An embedded Kinesis with one stream for the tests of a describe block; `client()` talks to it, `endpoint()` is its URL. */
export function useEmbeddedStream(streamName: string, shards: number): { client: () => KinesisClient; endpoint: () => string } {
  let stream: Awaited<ReturnType<typeof startEmbeddedStream>> | undefined;
  beforeAll(async () => {
    stream = await startEmbeddedStream(streamName, shards);
  });
  afterAll(async () => {
    stream?.client.destroy();
    await stream?.server.close();
  });
  return { client: () => stream!.client, endpoint: () => stream!.server.endpoint };
}

/** Captures what a command writes; `handleSignals` off so tests never touch process signals. */
export function captureIo(): CommandIo & { out: () => string; err: () => string; outIncludes: (text: string) => Promise<void> } {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  (stderr as unknown as PassThrough).on('data', (c: Buffer) => (err += c.toString()));
  /** Resolves once stdout holds `text`. */
  const outIncludes = (text: string): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!out.includes(text)) return;
        stdout.off('data', check);
        resolve();
      };
      stdout.on('data', check);
      check();
    });
  return { stdout, stderr, handleSignals: false, out: () => out, err: () => err, outIncludes };
}

type PutRewrite = (
  records: NonNullable<PutRecordsCommand['input']['Records']>,
  forward: (records: NonNullable<PutRecordsCommand['input']['Records']>) => Promise<PutRecordsResultEntry[]>,
) => Promise<PutRecordsResultEntry[]>;

/** Wraps a client so a test can rewrite PutRecords calls (inject failures, lose or duplicate records). */
export function interceptPutRecords(client: KinesisClient, rewrite: PutRewrite): KinesisSender {
  const send = async (command: unknown): Promise<unknown> => {
    if (!(command instanceof PutRecordsCommand)) return client.send(command as never);
    const input = command.input;
    const forward = async (records: NonNullable<typeof input.Records>): Promise<PutRecordsResultEntry[]> =>
      records.length ? ((await client.send(new PutRecordsCommand({ ...input, Records: records }))).Records ?? []) : [];
    const results = await rewrite(input.Records ?? [], forward);
    return { Records: results, FailedRecordCount: results.filter((r) => r.ErrorCode).length };
  };
  return { send } as unknown as KinesisSender;
}

/** Fails `fraction` of entries with ProvisionedThroughputExceededException (they are not written). */
export function throttleFraction(client: KinesisClient, fraction: number, random: () => number): KinesisSender {
  return interceptPutRecords(client, async (records, forward) => {
    const fail = records.map(() => random() < fraction);
    const written = await forward(records.filter((_, i) => !fail[i]));
    let k = 0;
    return records.map((_, i) =>
      fail[i] ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (injected)' } : written[k++],
    );
  });
}

/** `n` bytes from a seeded random source, so tests that need random-looking keys stay reproducible. */
export function seededBytes(random: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
}

/**
 * A clock running `factor` times slower than real time, for the engine and the embedded stream's limits together:
 * rates measured on it are the same in its time, while the machine does 1/factor of the work per real second, so
 * a busy machine cannot starve the test's producer.
 */
export function slowedClock(factor: number): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / factor;
}

/** `loadgen local` serving for the length of `body`, which gets its endpoint. */
export async function withLocalKinesis<T>(options: LocalOptions, body: (endpoint: string) => Promise<T>): Promise<T> {
  const io = captureIo();
  let stop!: () => void;
  const serving = localCommand(options, io, new Promise<void>((resolve) => (stop = resolve)));
  await io.outIncludes('listening on');
  try {
    return await body(/listening on (\S+),/.exec(io.out())![1]);
  } finally {
    stop();
    await serving;
  }
}

/** `n` shards splitting the hash-key space evenly, as ListShards returns them. */
export function evenShards(n: number): Shard[] {
  const space = 2n ** 128n;
  return Array.from({ length: n }, (_, i) => ({
    ShardId: `shardId-${String(i).padStart(12, '0')}`,
    HashKeyRange: { StartingHashKey: ((space * BigInt(i)) / BigInt(n)).toString(), EndingHashKey: ((space * BigInt(i + 1)) / BigInt(n) - 1n).toString() },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  }));
}

/**
 * A Kinesis-shaped stream held in the test: ListShards answers at once; PutRecords accepts every entry after
 * `serviceMs` on one of `workers` (requests beyond them queue, so latency rises with load, as on a saturated
 * server). Answers omit ShardId, like the bench's stub endpoint. Timers make it follow jest's fake clock.
 */
export function slowStream(shards: number, serviceMs: number, workers = Infinity): KinesisSender {
  const listing = evenShards(shards);
  let busy = 0;
  const waiting: (() => void)[] = [];
  const send = (command: unknown): Promise<unknown> => {
    if (command instanceof ListShardsCommand) return Promise.resolve({ Shards: listing });
    if (!(command instanceof PutRecordsCommand)) return Promise.reject(new Error(`unexpected ${(command as object).constructor.name}`));
    const count = command.input.Records?.length ?? 0;
    return new Promise((resolve) => {
      const serve = (): void => {
        busy++;
        setTimeout(() => {
          busy--;
          waiting.shift()?.();
          resolve({ FailedRecordCount: 0, Records: Array.from({ length: count }, (_, i) => ({ SequenceNumber: String(i) })) });
        }, serviceMs);
      };
      if (busy < workers) serve();
      else waiting.push(serve);
    });
  };
  return { send } as unknown as KinesisSender;
}

/** Moves jest's fake clock on in 5 ms steps (timers, then promise callbacks) until `work` settles. */
export async function onFakeClock<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) await jest.advanceTimersByTimeAsync(5);
  return work;
}
