/**
 * Where a fleet run goes: the load-fleet stack's outputs (`npx cdktf output iot-loadgen-<stage> --outputs-file f.json`
 * writes them, keyed by stack; a flat object of the outputs works too), each overridable by a flag.
 */
import { readFileSync } from 'node:fs';
import { isObject } from '../shared/is-object';

export interface FleetTarget {
  readonly region: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly reportsBucket: string;
  readonly reportsPrefix: string;
  /** vCPUs all children may use together and each child's: known from the outputs file only. */
  readonly maxVcpus?: number;
  readonly childVcpu?: number;
}

/** The stack outputs loadgen fleet reads (stacks/load-fleet-stack.ts writes them). */
export const FLEET_OUTPUTS = {
  jobQueue: 'job-queue-name',
  jobQueueArn: 'job-queue-arn',
  jobDefinition: 'job-definition-name',
  reportsBucket: 'reports-bucket-name',
  reportsPrefix: 'reports-prefix',
  maxVcpus: 'max-vcpus',
  childVcpu: 'child-vcpu',
} as const;

/** An output's value: plain, or `{ value }` as `terraform output -json` writes it. */
function valueOf(raw: unknown): unknown {
  return isObject(raw) && 'value' in raw ? raw.value : raw;
}

/**
 * The outputs in a file: the stack's object in a cdktf outputs file (the one stack with a job queue, or `stack`), or
 * the file's own object. Returns a problem (what is wrong) instead when the file holds no fleet outputs.
 */
export function readFleetOutputs(path: string, stack?: string): Record<string, unknown> | string {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return `a JSON file written by cdktf output <stack> --outputs-file (${(error as Error).message.split('\n')[0]})`;
  }
  if (!isObject(data)) return 'a JSON object of stack outputs';
  const hasQueue = (o: unknown): o is Record<string, unknown> => isObject(o) && FLEET_OUTPUTS.jobQueue in o;
  if (stack !== undefined) return hasQueue(data[stack]) ? (data[stack] as Record<string, unknown>) : `the outputs of stack ${stack} (with ${FLEET_OUTPUTS.jobQueue})`;
  if (hasQueue(data)) return data;
  const stacks = Object.keys(data).filter((name) => hasQueue(data[name]));
  if (stacks.length === 1) return data[stacks[0]] as Record<string, unknown>;
  return stacks.length > 1
    ? `one load-fleet stack's outputs; the file has ${stacks.join(', ')}: name one with --stack`
    : `the outputs of an iot-loadgen-<stage> stack (${FLEET_OUTPUTS.jobQueue}, ${FLEET_OUTPUTS.jobDefinition}, ${FLEET_OUTPUTS.reportsBucket}, ...)`;
}

export function outputString(outputs: Record<string, unknown>, name: string): string | undefined {
  const value = valueOf(outputs[name]);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function outputNumber(outputs: Record<string, unknown>, name: string): number | undefined {
  const value = valueOf(outputs[name]);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The region in an ARN (`arn:aws:batch:<region>:...`). */
export function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}
