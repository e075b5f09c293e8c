import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBlock } from '../policy/terraform-json';
import { LOCAL_DATA_SOURCES, serviceOf } from './aws-services';
import type { ProviderMirror } from './mirror';
import { toAws5Arguments } from './provider-compat';
import { standInRemoteStates } from './remote-state';

export interface OfflineCopy {
  readonly dir: string;
  /** `aws 6.25.0 -> 5.100.0` for every provider whose constraint was relaxed to the mirror's version. */
  readonly relaxed: string[];
  /** Arguments renamed for an older provider in the mirror, e.g. `aws_batch_compute_environment.name -> compute_environment_name`. */
  readonly renamed: string[];
  /** The endpoints pointed at the stub. */
  readonly endpoints: string[];
  /** Other stacks' states stood in for by placeholders, e.g. `iot-aws-dev: 3 outputs (placeholders)`. */
  readonly standIns: string[];
  /** Input variables with no default, given a placeholder so the plan runs, e.g. `loadgen_image_tag = "tf-check"`. */
  readonly variables: string[];
}

/** The endpoints a stack's AWS resources and data sources need; throws on a type with no known service. */
export function endpointsFor(stack: Record<string, unknown>): string[] {
  const types = (['resource', 'data'] as const).flatMap((kind) =>
    isBlock(stack[kind]) ? Object.keys(stack[kind] as object).filter((t) => t.startsWith('aws_') && !(kind === 'data' && LOCAL_DATA_SOURCES.includes(t))) : [],
  );
  const endpoints = new Set(['sts']); // the provider itself asks STS who it is
  for (const type of types) {
    const service = serviceOf(type);
    if (!service) throw new Error(`no AWS endpoint known for ${type}: add its service to SERVICE_ENDPOINTS so the plan cannot reach AWS`);
    endpoints.add(service);
  }
  return [...endpoints].sort();
}

/**
 * Copies a synthesized stack into `dir` and makes it plannable offline without touching anything real:
 * provider versions relaxed to the mirror's (arguments a newer provider renamed written back), every AWS
 * endpoint it needs (and STS) on the loopback stub, no instance-metadata lookup, an empty local state in
 * `dir` instead of the configured backend, the state of every stack in `producers` it reads through
 * `terraform_remote_state` stood in for by placeholder outputs, and a placeholder for each required variable.
 */
export function offlineCopy(
  stackDir: string,
  dir: string,
  mirror: ProviderMirror,
  stubUrl: string,
  producers: ReadonlyMap<string, Record<string, any>> = new Map(), // eslint-disable-line @typescript-eslint/no-explicit-any
): OfflineCopy {
  cpSync(stackDir, dir, { recursive: true });
  const file = join(dir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const relaxed: string[] = [];
  const renamed: string[] = [];
  for (const [name, req] of Object.entries((stack.terraform?.required_providers ?? {}) as Record<string, { source: string; version?: string }>)) {
    const available = mirror.versionOf(req.source);
    if (available && available !== req.version) {
      relaxed.push(`${name} ${req.version ?? 'any'} -> ${available}`);
      if (name === 'aws') renamed.push(...toAws5Arguments(stack, req.version, available));
      req.version = available;
    }
  }
  delete stack.terraform.required_version;
  stack.terraform.backend = { local: { path: 'terraform.tfstate' } };
  const standIns = standInRemoteStates(stack, dir, producers);
  // A required variable would stop the plan; CI and deployers set it (TF_VAR_<name>), here a placeholder does.
  const variables: string[] = [];
  for (const [name, variable] of Object.entries((stack.variable ?? {}) as Record<string, Record<string, unknown>>)) {
    if ('default' in variable) continue;
    variable.default = 'tf-check';
    variables.push(`${name} = "tf-check"`);
  }
  const endpoints = endpointsFor(stack);
  for (const provider of (stack.provider?.aws ?? []) as Array<Record<string, unknown>>) {
    provider.endpoints = [Object.fromEntries(endpoints.map((e) => [e, stubUrl]))];
    provider.skip_metadata_api_check = 'true';
    provider.skip_region_validation = true;
    provider.s3_use_path_style = true;
  }
  writeFileSync(file, JSON.stringify(stack, null, 2));
  return { dir, relaxed, renamed, endpoints, standIns, variables };
}
