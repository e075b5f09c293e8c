/** `loadgen local`: the embedded Kinesis as a standalone server until Ctrl-C. */
import { createKinesisClient } from '../kinesis/client';
import { createStream, startLocalKinesis } from '../kinesis/local-server';
import { UsageError, badOption } from '../shared/errors';
import { EXIT_OK, type CommandIo } from './io';
import type { LocalOptions } from './options';

/** Runs until Ctrl-C (or until `until` resolves, for tests). */
export async function localCommand(options: LocalOptions, io: CommandIo, until?: Promise<void>): Promise<number> {
  let server;
  try {
    server = await startLocalKinesis(options.port, Math.max(options.shards * 4, 50));
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
  io.stdout.write(
    `embedded Kinesis listening on ${server.endpoint}, stream ${options.stream} with ${options.shards} shards (in memory; Ctrl-C to stop)\n` +
      `  try: npx loadgen run --endpoint ${server.endpoint} --stream ${options.stream} --rate auto --duration 30s --verify\n`,
  );
  await (until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  await server.close();
  io.stdout.write('embedded Kinesis stopped\n');
  return EXIT_OK;
}
