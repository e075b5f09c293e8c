/** The `verify`, `describe` and `local` commands (`run` lives in run.ts). */
import { createKinesisClient } from './client';
import { describeStream, formatDescription } from './describe';
import { RunError, UsageError, badOption } from './errors';
import { createStream, startLocalKinesis } from './local-server';
import type { DescribeOptions, LocalOptions, TargetOptions, VerifyOptions } from './options';
import { writeReport } from './report';
import type { CommandIo } from './run';
import { verifyStream } from './verify';

/** Maps "no such stream" to a usage error and anything else to a one-line run error. */
function explain(error: unknown, options: TargetOptions): Error {
  const e = error as { name?: string; message?: string };
  const where = options.endpoint ? `${options.endpoint} (${options.region})` : `region ${options.region}`;
  if (e.name === 'ResourceNotFoundException') return new UsageError(badOption('--stream', options.stream, `an existing stream at ${where}`));
  if (error instanceof UsageError || error instanceof RunError) return error;
  return new RunError(`${e.name ?? 'Error'} from Kinesis at ${where}: ${(e.message ?? String(error)).split('\n')[0]}`);
}

export async function verifyCommand(options: VerifyOptions, io: CommandIo): Promise<number> {
  const client = createKinesisClient(options);
  try {
    const result = await verifyStream(client, options.stream, options.since);
    if (options.report) writeReport(options.report, { stream: options.stream, since: options.since?.toISOString() ?? null, verify: result });
    const missingNote = result.missingSample.length ? `  e.g. ${result.missingSample.slice(0, 3).join(', ')}` : '';
    io.stdout.write(
      `verify ${options.stream}: received ${result.received} from ${result.shardsRead} shards, ` +
        `${result.runs} runs; missing ${result.missing} (seq gaps per device); duplicates ${result.duplicates}; ` +
        `not sensor records ${result.unrecognized}${missingNote}\n`,
    );
    return result.missing > 0 ? 1 : 0;
  } catch (error) {
    throw explain(error, options);
  } finally {
    client.destroy();
  }
}

export async function describeCommand(options: DescribeOptions, io: CommandIo): Promise<number> {
  const client = createKinesisClient(options);
  try {
    const description = await describeStream(client, options.stream);
    io.stdout.write(`${options.json ? JSON.stringify(description, null, 2) : formatDescription(description)}\n`);
    return 0;
  } catch (error) {
    throw explain(error, options);
  } finally {
    client.destroy();
  }
}

/** Runs the embedded Kinesis until Ctrl-C (or `until` resolves, for tests). */
export async function localCommand(options: LocalOptions, io: CommandIo, until?: Promise<void>): Promise<number> {
  let server;
  try {
    server = await startLocalKinesis(options.port, Math.max(options.shards * 4, 50));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(badOption('--port', String(options.port), 'a free port'));
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
  return 0;
}
