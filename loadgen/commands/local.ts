/** `loadgen local`: the embedded Kinesis as a standalone server until Ctrl-C. */
import { createKinesisClient } from '../kinesis/client';
import { createStream, startLocalKinesis } from '../kinesis/local-server';
import { NO_LIMITS, describeLimits } from '../kinesis/shard-throughput';
import { UsageError, badOption } from '../shared/errors';
import { EXIT_OK, type CommandIo } from './io';
import type { LocalOptions } from './options';

/** Runs until Ctrl-C (or until `until` resolves, for tests). */
export async function localCommand(options: LocalOptions, io: CommandIo, until?: Promise<void>): Promise<number> {
  const limits = options.limits ?? NO_LIMITS;
  let server;
  try {
    server = await startLocalKinesis(options.port, Math.max(options.shards * 4, 50), {
      limits,
      onWarning: (message) => io.stderr.write(`[loadgen local] ${message}\n`),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new UsageError(badOption('--port', String(options.port), 'a free port'));
    throw error;
  }
  const client = createKinesisClient({ region: 'us-east-1', endpoint: server.endpoint }, {});
  try {
    await createStream(client, options.stream, options.shards);
  } finally {
    client.destroy();
  }
  const limited = limits.writes || limits.reads;
  io.stdout.write(
    `embedded Kinesis listening on ${server.endpoint}, stream ${options.stream} with ${options.shards} shards (in memory; Ctrl-C to stop)\n` +
      (limited ? `  enforcing the Kinesis ${describeLimits(limits)}: excess calls and entries fail with ProvisionedThroughputExceededException\n` : '') +
      `  try: npx loadgen run --endpoint ${server.endpoint} --stream ${options.stream} --rate auto --duration 30s --verify\n` +
      (limits.writes ? `       npx loadgen find-limit --endpoint ${server.endpoint} --stream ${options.stream} --step-duration 2s\n` : ''),
  );
  await (until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  const counts = server.counts();
  await server.close();
  const throttled = counts
    ? `; throttled ${counts.entriesThrottled} of ${counts.entriesAccepted + counts.entriesThrottled} entries` +
      (limits.reads ? `, ${counts.readsThrottled} of ${counts.readsAccepted + counts.readsThrottled} read calls` : '')
    : '';
  io.stdout.write(`embedded Kinesis stopped${throttled}\n`);
  return EXIT_OK;
}
