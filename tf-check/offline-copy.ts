import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBlock } from '../policy/terraform-json';
import type { ProviderMirror } from './mirror';

/** The AWS service endpoint a resource type calls, by type prefix. Data sources computed locally need none. */
export const SERVICE_ENDPOINTS: ReadonlyArray<[prefix: string, endpoint: string]> = [
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_iam_', 'iam'],
  ['aws_kinesis_', 'kinesis'],
  ['aws_kms_', 'kms'],
  ['aws_s3_', 's3'],
  ['aws_sns_', 'sns'],
  ['aws_caller_identity', 'sts'],
];
const LOCAL_DATA_SOURCES = ['aws_iam_policy_document', 'aws_partition'];

export interface OfflineCopy {
  readonly dir: string;
  /** `aws 6.25.0 -> 5.100.0` for every provider whose constraint was relaxed to the mirror's version. */
  readonly relaxed: string[];
  /** The endpoints pointed at the stub. */
  readonly endpoints: string[];
}

/** The endpoints a stack's AWS resources and data sources need; throws on a type with no known service. */
export function endpointsFor(stack: Record<string, unknown>): string[] {
  const types = (['resource', 'data'] as const).flatMap((kind) =>
    isBlock(stack[kind]) ? Object.keys(stack[kind] as object).filter((t) => t.startsWith('aws_') && !(kind === 'data' && LOCAL_DATA_SOURCES.includes(t))) : [],
  );
  const endpoints = new Set(['sts']); // the provider itself asks STS who it is
  for (const type of types) {
    const match = SERVICE_ENDPOINTS.find(([prefix]) => type.startsWith(prefix));
    if (!match) throw new Error(`no AWS endpoint known for ${type}: add its service to SERVICE_ENDPOINTS so the plan cannot reach AWS`);
    endpoints.add(match[1]);
  }
  return [...endpoints].sort();
}

/**
 * Copies a synthesized stack into `dir` and makes it plannable offline without touching anything real:
 * provider versions relaxed to the mirror's, every AWS endpoint it needs (and STS) on the loopback stub, no
 * instance-metadata lookup, and an empty local state in `dir` instead of the configured backend.
 */
export function offlineCopy(stackDir: string, dir: string, mirror: ProviderMirror, stubUrl: string): OfflineCopy {
  cpSync(stackDir, dir, { recursive: true });
  const file = join(dir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const relaxed: string[] = [];
  for (const [name, req] of Object.entries((stack.terraform?.required_providers ?? {}) as Record<string, { source: string; version?: string }>)) {
    const available = mirror.versionOf(req.source);
    if (available && available !== req.version) {
      relaxed.push(`${name} ${req.version ?? 'any'} -> ${available}`);
      req.version = available;
    }
  }
  delete stack.terraform.required_version;
  stack.terraform.backend = { local: { path: 'terraform.tfstate' } };
  const endpoints = endpointsFor(stack);
  for (const provider of (stack.provider?.aws ?? []) as Array<Record<string, unknown>>) {
    provider.endpoints = [Object.fromEntries(endpoints.map((e) => [e, stubUrl]))];
    provider.skip_metadata_api_check = 'true';
    provider.skip_region_validation = true;
    provider.s3_use_path_style = true;
  }
  writeFileSync(file, JSON.stringify(stack, null, 2));
  return { dir, relaxed, endpoints };
}
