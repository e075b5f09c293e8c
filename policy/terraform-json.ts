import type { TerraformJson } from './types';

export type Block = Record<string, unknown>;

/** A JSON object (not an array, not null): how a Terraform block appears in cdk.tf.json. */
export const isBlock = (v: unknown): v is Block => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested block as written by CDKTF: an object, or a list of them. */
export function blocks(value: unknown): Block[] {
  return (Array.isArray(value) ? value : [value]).filter(isBlock);
}

/** `[address, body]` of every resource (or data source) of one type. */
export function resourcesOf(stack: TerraformJson, type: string, kind: 'resource' | 'data' = 'resource'): Array<[string, Block]> {
  const byType = isBlock(stack[kind]) ? (stack[kind] as Block)[type] : undefined;
  if (!isBlock(byType)) return [];
  const prefix = kind === 'data' ? 'data.' : '';
  return Object.entries(byType).filter(([, body]) => isBlock(body)).map(([name, body]) => [`${prefix}${type}.${name}`, body as Block]);
}

/** One resource or data source, addressed as Terraform does (`type.name`, `data.type.name`). */
export interface AddressedBlock {
  readonly address: string;
  readonly type: string;
  readonly mode: 'managed' | 'data';
  readonly body: Block;
}

/** Deep copy without cdktf metadata keys (`//`), which change with construct paths but not with infrastructure. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isBlock(value)) return value;
  const out: Block = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== '//') out[key] = withoutMetadata(child);
  }
  return out;
}

function blocksOf(section: unknown, mode: 'managed' | 'data'): AddressedBlock[] {
  if (!isBlock(section)) return [];
  const out: AddressedBlock[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isBlock(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isBlock(body)) continue;
      const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      out.push({ address, type, mode, body: withoutMetadata(body) as Block });
    }
  }
  return out;
}

/** Every resource and data source of a stack, keyed by Terraform address, without cdktf metadata. */
export function addressedBlocks(stack: TerraformJson): Map<string, AddressedBlock> {
  const all = [...blocksOf(stack.resource, 'managed'), ...blocksOf(stack.data, 'data')];
  return new Map(all.map((block) => [block.address, block]));
}

/** Every resource block of the stack (data sources left out). */
export function allResources(stack: TerraformJson): AddressedBlock[] {
  return blocksOf(stack.resource, 'managed');
}

/** Every string leaf of a block with its path (`inline_policy[0].policy`). */
export function stringLeaves(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, `${path}[${i}]`));
  if (isBlock(value)) return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, path ? `${path}.${key}` : key));
  return [];
}

/** True when `value` is an interpolation referencing the resource at `address` (e.g. `${aws_s3_bucket.x.id}`). */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === 'string' && value.includes(`\${${address}.`);
}

/** The resources of `type` whose `attribute` references `address` (e.g. the encryption config of a bucket). */
export function attachedTo(stack: TerraformJson, type: string, address: string, attribute = 'bucket'): Array<[string, Block]> {
  return resourcesOf(stack, type).filter(([, body]) => refersTo(body[attribute], address));
}
