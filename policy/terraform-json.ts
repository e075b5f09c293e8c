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

/** Every resource block of the stack with its address and type. */
export function allResources(stack: TerraformJson): Array<{ address: string; type: string; body: Block }> {
  const out: Array<{ address: string; type: string; body: Block }> = [];
  const resources = isBlock(stack.resource) ? stack.resource : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!isBlock(byName)) continue;
    for (const [name, body] of Object.entries(byName)) if (isBlock(body)) out.push({ address: `${type}.${name}`, type, body });
  }
  return out;
}

/** True when `value` is an interpolation referencing the resource at `address` (e.g. `${aws_s3_bucket.x.id}`). */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === 'string' && value.includes(`\${${address}.`);
}

/** The resources of `type` whose `attribute` references `address` (e.g. the encryption config of a bucket). */
export function attachedTo(stack: TerraformJson, type: string, address: string, attribute = 'bucket'): Array<[string, Block]> {
  return resourcesOf(stack, type).filter(([, body]) => refersTo(body[attribute], address));
}
