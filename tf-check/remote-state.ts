import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBlock, type Block } from '../policy/terraform-json';
import { STUB_ACCOUNT_ID } from './aws-stub';
import { serviceOf } from './aws-services';

/**
 * A stack that reads another stack's outputs through `terraform_remote_state` can only be planned once that
 * stack has been applied. Offline, there is nothing applied: the producer's state is stood in for by a
 * local state file holding only the outputs the consumer reads, each a placeholder shaped like what the
 * producer's output expression would yield (an ARN for `.arn`, a name otherwise), so the consumer's plan
 * runs and says which values were placeholders.
 */

/** The stack whose state a remote-state data source reads, from its `path` or `key` (`.../<stack>.tfstate`). */
export function producerOf(remote: Block): string | undefined {
  const config = isBlock(remote.config) ? remote.config : {};
  const location = String(config.path ?? config.key ?? '');
  return /(?:^|\/)(?:terraform\.)?([\w-]+)\.tfstate$/.exec(location)?.[1];
}

/** A placeholder for one `${<type>.<name>.<attribute>}` of the producer. */
function placeholder(type: string, attribute: string, region: string): string {
  const resource = type.replace(/^aws_[a-z0-9]+_/, '') || type;
  if (attribute !== 'arn') return `tf-check-${resource}-${attribute}`.replace(/_/g, '-');
  const service = serviceOf(type) ?? type.split('_')[1] ?? 'unknown';
  if (service === 's3') return `arn:aws:s3:::tf-check-${resource}`;
  const scope = service === 'iam' ? `:${STUB_ACCOUNT_ID}` : `${region}:${STUB_ACCOUNT_ID}`;
  return `arn:aws:${service}:${scope}:${resource}/tf-check`;
}

/** The value an output would have, with every resource reference replaced by a placeholder. */
export function placeholderValue(value: unknown, region: string): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{(?:data\.)?(aws_[\w]+)\.[\w-]+\.([\w]+)\}/g, (_, type: string, attribute: string) => placeholder(type, attribute, region));
}

/**
 * Points every `terraform_remote_state` of `stack` (mutated) whose producer is in `producers` at a stand-in
 * state file written into `dir`. Returns what was stood in, e.g. `iot-aws-dev: 3 outputs (placeholders)`.
 */
export function standInRemoteStates(stack: Record<string, any>, dir: string, producers: ReadonlyMap<string, Record<string, any>>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const remotes = (stack.data?.terraform_remote_state ?? {}) as Record<string, Block>;
  const notes: string[] = [];
  for (const [name, remote] of Object.entries(remotes)) {
    const producerName = producerOf(remote);
    const producer = producerName ? producers.get(producerName) : undefined;
    if (!producerName || !producer) continue;
    const read = new Set([...JSON.stringify(stack).matchAll(new RegExp(`data\\.terraform_remote_state\\.${name}\\.outputs\\.([\\w-]+)`, 'g'))].map((m) => m[1]));
    const region = String(producer.provider?.aws?.[0]?.region ?? 'us-east-1');
    const outputs = Object.fromEntries(
      [...read].sort().map((output) => {
        const value = placeholderValue(producer.output?.[output]?.value ?? `tf-check-${output}`, region);
        return [output, { value, type: typeof value === 'number' ? 'number' : 'string' }];
      }),
    );
    const file = `remote-state-${producerName}.tfstate`;
    writeFileSync(join(dir, file), JSON.stringify({ version: 4, terraform_version: '1.0.0', serial: 1, lineage: 'tf-check-stand-in', outputs, resources: [] }));
    remotes[name] = { backend: 'local', config: { path: file } };
    notes.push(`${producerName}: ${read.size} output${read.size === 1 ? '' : 's'} (placeholders)`);
  }
  return notes;
}
