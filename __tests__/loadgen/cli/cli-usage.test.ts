import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../loadgen/cli/main';
import { startLocalKinesis, type LocalKinesis } from '../../../loadgen/kinesis/local-server';
import { captureIo } from '../helpers';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');

async function usage(args: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, err: io.err(), out: io.out() };
}

/** [argv, text the single error line must contain (option and value)] */
const BAD_INPUT: [string[], string[]][] = [
  [['run', '--rate', '-5'], ['--rate', '"-5"', 'auto or max']],
  [['run', '--rate', 'fast'], ['--rate', '"fast"']],
  [['run', '--rate', '0'], ['--rate', '"0"']],
  [['run', '--batch-size', '501'], ['--batch-size', '"501"', '1 to 500']],
  [['run', '--batch-size', '0'], ['--batch-size', '"0"']],
  [['run', '--generator', 'no-such-generator'], ['--generator', '"no-such-generator"', 'iot-sensor']],
  [['run', '--generator', './no/such/file.js'], ['--generator', '"./no/such/file.js"', 'no file at']],
  [['run', '--duration', '10x'], ['--duration', '"10x"', '30s']],
  [['run', '--duration', 'soon'], ['--duration', '"soon"']],
  [['run', '--concurrency', '0'], ['--concurrency', '"0"', 'from 1 to 256, or auto']],
  [['run', '--concurrency', 'many'], ['--concurrency', '"many"', 'or auto']],
  [['run', '--concurrency', '2.5'], ['--concurrency', '"2.5"']],
  [['run', '--anomaly-rate', '1.5'], ['--anomaly-rate', '"1.5"', '0 to 1']],
  [['run', '--shard-limit', '0'], ['--shard-limit', '"0"', 'off']],
  [['run', '--shard-limit', 'none'], ['--shard-limit', '"none"']],
  [['run', '--max-retries', '-1'], ['--max-retries', '"-1"']],
  [['run', '--devices', '0'], ['--devices', '"0"']],
  [['run', '--records', '-3'], ['--records', '"-3"']],
  [['run', '--seed', 'abc'], ['--seed', '"abc"']],
  [['run', '--shards', '0'], ['--shards', '"0"']],
  [['run', '--stages', '30s'], ['--stages', '"30s"', 'duration:rate']],
  [['run', '--stages', '30s:fast,1m:5'], ['--stages', '"30s:fast,1m:5"']],
  [['run', '--stages', '1s:10', '--rate', '5'], ['--rate', '"5"', '--stages']],
  [['run', '--utilization', '1.5'], ['--utilization', '"1.5"']],
  [['run', '--endpoint', 'ftp://host'], ['--endpoint', '"ftp://host"', 'http']],
  [['run', '--endpoint', 'http://127.0.0.1:1'], ['--stream', 'whenever --endpoint']],
  [['run', '--stream', 'x', '--shards', '3'], ['--shards', '"3"', 'embedded']],
  [['run', '--sink', 'kafka'], ['--sink', '"kafka"', 'null']],
  [['run', '--sink', 'null', '--verify'], ['--verify', 'kinesis']],
  [['run', '--sink', 'null', '--rate', 'auto'], ['--rate', '"auto"', 'max']],
  [['run', '--unreachable-after', 'soon'], ['--unreachable-after', '"soon"', '30s']],
  [['run', '--report', '/no/such/dir/r.json'], ['--report', '"/no/such/dir/r.json"', 'existing directory']],
  [['run', '--threshold', 'p99<5'], ['--threshold', '"p99<5"', 'latencyMs.*']],
  [['run', '--threshold', 'latencyMs.p99=<5'], ['--threshold', '"latencyMs.p99=<5"', '< <= > >= == !=']],
  [['run', '--threshold', 'verify.missing==0'], ['--threshold', '"verify.missing==0"', '--verify']],
  [['run', '--threshold', 'a<1,abortOnFail', '--threshold', 'throttledPct<1,delayAbortEval=9s'], ['--threshold', '"a<1,abortOnFail"', '"throttledPct<1,delayAbortEval=9s"']],
  [['run', '--out', 'csv=x.csv'], ['--out', '"csv=x.csv"', 'json=<file> or json=-']],
  [['run', '--out', 'json=/no/such/dir/m.jsonl'], ['--out', '"json=/no/such/dir/m.jsonl"', 'existing directory']],
  [['run', '--out', 'json=/tmp'], ['--out', '"json=/tmp"', 'the file in an existing directory']],
  [['run', '--sink', 'stdout', '--rate', '5', '--out', 'json=-'], ['--out', '"json=-"', '--sink stdout owns stdout']],
  [['run', '--segment', '3/2'], ['--segment', '"3/2"', 'i/n with 1 <= i <= n']],
  [['run', '--segment', '2/4'], ['--seed', '--run-id', 'the same in every segment']],
  [['run', '--run-id', 'has space'], ['--run-id', '"has space"', 'letters, digits']],
  [['run', '--start-at', 'tomorrow'], ['--start-at', '"tomorrow"', 'ISO']],
  [['run', '--workers', 'many'], ['--workers', '"many"', 'or auto']],
  [['run', '--workers', '0'], ['--workers', '"0"', 'from 1 to 256']],
  [['run', '--workers', '2', '--sink', 'stdout', '--rate', '9'], ['--workers', '"2"', 'interleave']],
  [['merge'], ["missing required argument 'reports'"]],
  [['merge', '/no/such/report.json'], ['<reports>', '"/no/such/report.json"', 's3://bucket/prefix/']],
  [['merge', 's3://'], ['<reports>', '"s3://"', 's3://bucket/prefix/']],
  [['merge', '.', '--threshold', 'p99<1'], ['--threshold', '"p99<1"', 'latencyMs.*']],
  [['fleet', 'run', '--size', '2'], ['--outputs', '--job-queue', '--reports-bucket']],
  [['fleet', 'run', '--size', '0', '--job-queue', 'q', '--job-definition', 'd', '--reports-bucket', 'b', '--reports-prefix', 'r/'], ['--size', '"0"', '1 to 10000']],
  [['fleet', 'run', '--size', '2', '--job-queue', 'q', '--job-definition', 'd', '--reports-bucket', 'b', '--reports-prefix', 'r/', '--verify'], ['--verify', 'producer', 'loadgen verify']],
  [['fleet', 'run', '--size', '2', '--job-queue', 'q', '--job-definition', 'd', '--reports-bucket', 'b', '--reports-prefix', 'r/', '--generator', './mine.mjs'], ['--generator', '"./mine.mjs"', 'built-in']],
  [['fleet', 'run', '--size', '2', '--job-queue', 'q', '--job-definition', 'd', '--reports-bucket', 'b', '--reports-prefix', 'r/', '--rate', 'fast'], ['--rate', '"fast"']],
  [['fleet', 'status', 'bad id!'], ['<job-id>', '"bad id!"']],
  [['bogus'], ['unknown command "bogus"', 'run (default), find-limit, verify, describe, analytics, fleet, merge, local']],
  [['run', '--bogus'], ["unknown option '--bogus'"]],
  [['run', '--rate'], ["'--rate <n|auto|max>' argument missing"]],
  [['run', '--stream', 'bad name!'], ['--stream', '"bad name!"', '1-128 characters']],
  [['verify'], ['--stream', 'a stream name']],
  [['verify', '--stream', 's', '--read-share', '0'], ['--read-share', '"0"', '> 0 and <= 1']],
  [['verify', '--stream', 's', '--since', 'yesterday'], ['--since', '"yesterday"', 'ISO']],
  [['describe', '--region', 'mars'], ['--region', '"mars"']],
  [['local', '--port', '70000'], ['--port', '"70000"', '0 to 65535']],
  [['analytics', '/no/such/records.jsonl'], ['<records>', '"/no/such/records.jsonl"', '--sink file:']],
  [['analytics', '.', '--now', 'soon'], ['--now', '"soon"', 'ISO']],
  [['analytics', '.', '--widgets', 'critical_rule'], ['--widgets', '"critical_rule"', 'name=value']],
  [['analytics'], ["missing required argument 'records'"]],
];

describe('bad input: exit 2, one line naming the option, the value and what is allowed', () => {
  it.each(BAD_INPUT)('%j', async (args, mentions) => {
    const { code, err } = await usage(args);
    expect(code).toBe(2);
    const lines = err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^loadgen: /);
    for (const text of mentions) expect(lines[0]).toContain(text);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports every problem at once, on one line', async () => {
    const { code, err } = await usage(['run', '--rate', '-1', '--concurrency', '0', '--batch-size', '900']);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('--rate');
    expect(err).toContain('--concurrency');
    expect(err).toContain('--batch-size');
  });

  describe('against an endpoint', () => {
    let server: LocalKinesis;
    beforeAll(async () => {
      server = await startLocalKinesis(0, 10);
    });
    afterAll(() => server.close());

    it('names --stream when the stream does not exist', async () => {
      const { code, err } = await usage(['run', '--endpoint', server.endpoint, '--stream', 'nope', '--rate', '10', '--duration', '1s']);
      expect(code).toBe(2);
      expect(err.trim()).toBe(`loadgen: invalid --stream "nope": expected an existing stream at ${server.endpoint} (us-east-1)`);
      const described = await usage(['describe', '--endpoint', server.endpoint, '--stream', 'nope']);
      expect(described.code).toBe(2);
      expect(described.err).toContain('--stream "nope"');
    });
  });

  it('help exits 0', async () => {
    const { code, out } = await usage(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('local');
    expect(out).toContain('analytics');
  });

  it('run --help lists the built-in generators', async () => {
    const { out } = await usage(['run', '--help']);
    expect(out).toMatch(/--generator <name\|path>\s+built-in generator \(iot-sensor, poc-producer\)/);
  });
});

describe('the real process (bin/loadgen.js)', () => {
  const run = promisify(execFile);
  it.each([
    [['run', '--rate', '-5'], '--rate'],
    [['--batch-size', '501'], '--batch-size'],
    [['run', '--generator', 'nope', '--duration', '1s'], '--generator'],
  ])('%j exits 2 with one line on stderr', async (args, option) => {
    const error = (await run(process.execPath, [BIN, ...args]).then(
      () => {
        throw new Error('expected a non-zero exit');
      },
      (e: { code: number; stderr: string; stdout: string }) => e,
    )) as { code: number; stderr: string; stdout: string };
    expect(error.code).toBe(2);
    expect(error.stdout).toBe('');
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
    expect(error.stderr).toContain(option);
  });
});
