/**
 * The options of `run`, declared once: `run` takes them all, `fleet run` the ones a child can use (it forwards them
 * to every child as command-line arguments, rebuilt here from what commander parsed).
 */
import type { Command } from 'commander';
import { BUILT_IN_GENERATORS } from '../generators/loader';
import type { RawOptions } from './option-reader';

/** Collects a repeatable option's values in order. */
export const collect = (value: string, previous: readonly string[] = []): readonly string[] => [...previous, value];

type Declared = [flags: string, description: string, parse?: typeof collect];

const RUN_OPTIONS: readonly Declared[] = [
  ['--shards <n>', 'shards of the embedded stream (default 4)'],
  ['--limits', 'the embedded stream enforces the per-shard write limits (1,000 records/s, 1 MiB/s) as Kinesis does'],
  ['--read-limits', 'the embedded stream enforces the per-shard read limits (5 GetRecords/s, 2 MiB/s; 5 GetShardIterator/s)'],
  ['--rate <n|auto|max>', 'records/s, auto (shards x 1,000/s x utilization) or max (default auto)'],
  ['--stages <d:rate,...>', 'k6-style ramp from 0/s, e.g. 30s:1000,1m:5000,30s:0'],
  ['--duration <d>', 'how long to schedule records, e.g. 30s, 5m (default 30s)'],
  ['--records <n>', 'stop after this many records'],
  ['--devices <n>', 'simulated devices / partition keys (default 1000)'],
  ['--batch-size <n>', 'records per PutRecords, 1..500 (default 500)'],
  ['--concurrency <n|auto>', 'in-flight PutRecords requests; auto sizes it to the target rate and latency (default auto)'],
  ['--generator <name|path>', `built-in generator (${Object.keys(BUILT_IN_GENERATORS).join(', ')}) or module path (default iot-sensor)`],
  ['--anomaly-rate <0..1>', 'share of anomalous readings (default 0.01)'],
  ['--seed <n>', 'seed for deterministic records (default random)'],
  ['--shard-limit <factor|off>', 'per-shard limit factor on 1,000 records/s and 1 MiB/s, or off (default 1)'],
  ['--max-retries <n>', 'retries per failed record (default 8)'],
  ['--utilization <0..1>', 'share of stream capacity for --rate auto (default 0.8)'],
  ['--sink <kinesis|null|stdout|file:path>', 'where records go (default kinesis)'],
  ['--drain-timeout <d>', 'how long to wait for in-flight records at the end or on Ctrl-C (default 10s)'],
  ['--unreachable-after <d>', 'stop when no request has been answered for this long (default 5s)'],
  ['--verify', 'read every shard back after the run and check every acked record arrived'],
  ['--read-share <0..1>', 'share of each shard\'s read limits (5 calls/s, 2 MiB/s) --verify may use (default 0.5)'],
  ['--watch-consumer', "sample the stream's CloudWatch metrics (iterator age, incoming, throttled) and say whether the consumer kept up"],
  ['--watch-interval <d>', 'how often to sample CloudWatch during the run (default 60s)'],
  ['--watch-grace <d>', 'longest wait after the run for CloudWatch to publish its last minute (default 3m)'],
  ['--max-iterator-age <d>', 'iterator age the consumer must stay under (default 60s)'],
  ['--report <file.json>', 'write the JSON report here'],
  ['--threshold <expr>', 'pass/fail condition on a report key, repeatable: throttledPct<0.5, latencyMs.p99<50,abortOnFail (exit 99 when one fails)', collect],
  ['--out <json=file|->', 'stream one JSON line per second of the run to a file or stdout (-)'],
  ['--report-html <file.html>', 'write a self-contained HTML report with charts here'],
  ['--segment <i/n>', 'run segment i of n of the whole run: 1/n of its rate, a disjoint share of its devices (default 1/1)'],
  ['--run-id <id>', 'id shared by the segments of one run, in records and reports (default: a new UUID)'],
  ['--start-at <ISO time>', 'start the schedule at this wall-clock time, so segments on several hosts start together'],
  ['--workers <n|auto>', 'run n segments of this process\'s share in worker threads, one report (auto: the available cores; default 1)'],
  ['--quiet', 'no progress or summary'],
];

/** Adds the run options to `cmd`, except those whose long flag is in `except` (the command declares its own). */
export function addRunOptions(cmd: Command, except: readonly string[] = []): Command {
  for (const [flags, description, parse] of RUN_OPTIONS) {
    if (except.some((flag) => flags.startsWith(`${flag} `) || flags === flag)) continue;
    if (parse) cmd.option(flags, description, parse);
    else cmd.option(flags, description);
  }
  return cmd;
}

/** The options in `raw` that `cmd` declares, as command-line arguments (long flags), skipping `except` (attribute names). */
export function asArguments(cmd: Command, raw: RawOptions, except: readonly string[]): string[] {
  const args: string[] = [];
  for (const option of cmd.options) {
    const name = option.attributeName();
    const value = raw[name];
    if (value === undefined || except.includes(name) || !option.long) continue;
    if (value === true) args.push(option.long);
    else if (Array.isArray(value)) for (const v of value) args.push(option.long, v);
    else if (typeof value === 'string') args.push(option.long, value);
  }
  return args;
}
