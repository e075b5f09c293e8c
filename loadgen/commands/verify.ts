/** `loadgen verify`: read a stream back and look for gaps in each device's seq, and for duplicates. */
import { createKinesisClient } from '../kinesis/client';
import { writeReport } from '../report/write';
import { terminalCaps } from '../shared/terminal';
import { verifySequences } from '../verify/sequence-gaps';
import { explainStreamError } from './explain';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from './io';
import type { VerifyOptions } from './options';
import { withReadBackProgress } from './read-back-progress';

export async function verifyCommand(options: VerifyOptions, io: CommandIo): Promise<number> {
  const client = createKinesisClient(options);
  try {
    const result = await withReadBackProgress(io, { quiet: false, terminal: terminalCaps(io.stderr) }, (progress) =>
      verifySequences(client, options.stream, { since: options.since, readShare: options.readShare, progress }),
    );
    if (options.report) writeReport(options.report, { stream: options.stream, since: options.since?.toISOString() ?? null, verify: result });
    const missingNote = result.missingSample.length ? `  e.g. ${result.missingSample.slice(0, 3).join(', ')}` : '';
    io.stdout.write(
      `verify ${options.stream}: received ${result.received} from ${result.shardsRead} shards, ` +
        `${result.runs} runs; missing ${result.missing} (seq gaps per device); duplicates ${result.duplicates}; ` +
        `not sensor records ${result.unrecognized}${missingNote}\n`,
    );
    return result.missing > 0 ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    throw explainStreamError(error, options, 'reading');
  } finally {
    client.destroy();
  }
}
