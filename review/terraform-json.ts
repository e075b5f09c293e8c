/**
 * The parts of a synthesized `cdk.tf.json` the review reads: resources and data sources by address (the
 * policy module's walk, with cdktf's own `//` metadata removed), and the stack-level settings.
 */

import { addressedBlocks, isBlock, withoutMetadata, type AddressedBlock } from '../policy/terraform-json';
import type { TerraformJson } from '../policy/types';

export type { AddressedBlock, TerraformJson };
export { addressedBlocks, withoutMetadata };

/** The policy module's object test, under the name the review's modules use. */
export const isRecord = isBlock;

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
    // Input variables: a new default (e.g. the load fleet's image tag) changes what a plan deploys.
    variable: stack.variable,
  };
  const present = Object.entries(settings).filter(([, value]) => value !== undefined);
  return withoutMetadata(Object.fromEntries(present)) as Record<string, unknown>;
}
