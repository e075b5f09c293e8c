/**
 * The parts of a synthesized `cdk.tf.json` the review reads: resources and data sources by address,
 * with cdktf's own metadata (`//` keys) removed because it is not infrastructure.
 */

import { isBlock } from '../policy/terraform-json';
import type { TerraformJson } from '../policy/types';

export type { TerraformJson };

/** One resource or data source, addressed as Terraform does (`type.name`, `data.type.name`). */
export interface AddressedBlock {
  readonly address: string;
  readonly type: string;
  readonly mode: 'managed' | 'data';
  readonly body: Record<string, unknown>;
}

/** The policy module's object test, under the name the review's modules use. */
export const isRecord = isBlock;

/** Deep copy without cdktf metadata keys (`//`), which change with construct paths but not with infrastructure. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== '//') out[key] = withoutMetadata(child);
  }
  return out;
}

function blocksOf(section: unknown, mode: 'managed' | 'data'): AddressedBlock[] {
  if (!isRecord(section)) return [];
  const blocks: AddressedBlock[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isRecord(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isRecord(body)) continue;
      const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      blocks.push({ address, type, mode, body: withoutMetadata(body) as Record<string, unknown> });
    }
  }
  return blocks;
}

/** Every resource and data source of a stack, keyed by Terraform address. */
export function addressedBlocks(stack: TerraformJson): Map<string, AddressedBlock> {
  const all = [...blocksOf(stack.resource, 'managed'), ...blocksOf(stack.data, 'data')];
  return new Map(all.map((block) => [block.address, block]));
}

/** One row per output: its value as written, marked when sensitive (the flag alone is not worth a row). */
function outputValues(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, body]) => {
      if (!isRecord(body)) return [name, body];
      const value = typeof body.value === 'string' ? body.value : JSON.stringify(body.value);
      return [name, body.sensitive === true ? `${value} (sensitive)` : value];
    }),
  );
}

/**
 * Stack-level settings worth a reviewer's eye when they change: the backend (where state lives),
 * provider versions and provider configuration, and outputs (what other stacks read).
 */
export function stackSettings(stack: TerraformJson): Record<string, unknown> {
  const terraform = isRecord(stack.terraform) ? stack.terraform : {};
  const settings = {
    'terraform.backend': terraform.backend,
    'terraform.required_providers': terraform.required_providers,
    provider: stack.provider,
    output: isRecord(stack.output) ? outputValues(stack.output) : undefined,
  };
  const present = Object.entries(settings).filter(([, value]) => value !== undefined);
  return withoutMetadata(Object.fromEntries(present)) as Record<string, unknown>;
}
