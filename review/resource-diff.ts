import { flatten, sameJson } from './flatten';
import { addressedBlocks, stackSettings, TerraformJson } from './terraform-json';

/** One attribute that differs; `old`/`new` are absent when the attribute is absent on that side. */
export interface AttributeChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

export interface AddedOrRemoved {
  readonly address: string;
  readonly type: string;
  /** Every attribute, flattened to leaf paths (references kept as written, e.g. `${aws_kms_key.k.arn}`). */
  readonly values: Record<string, unknown>;
}

export interface ChangedResource {
  readonly address: string;
  readonly type: string;
  readonly attributes: readonly AttributeChange[];
}

export interface ResourceDiff {
  readonly added: AddedOrRemoved[];
  readonly removed: AddedOrRemoved[];
  readonly changed: ChangedResource[];
  /** Backend, provider, required_providers, output and input-variable changes, flattened the same way. */
  readonly settings: AttributeChange[];
}

/** Attribute-level differences between two leaf maps, in path order. */
export function diffLeaves(base: Map<string, unknown>, head: Map<string, unknown>): AttributeChange[] {
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort();
  const changes: AttributeChange[] = [];
  for (const path of paths) {
    const inBase = base.has(path);
    const inHead = head.has(path);
    if (inBase && inHead && sameJson(base.get(path), head.get(path))) continue;
    changes.push({
      path,
      ...(inBase ? { old: base.get(path) } : {}),
      ...(inHead ? { new: head.get(path) } : {}),
    });
  }
  return changes;
}

const byAddress = (a: { address: string }, b: { address: string }): number => a.address.localeCompare(b.address);

/** Resources and data sources added, removed and changed between two versions of one stack. */
export function diffResources(base: TerraformJson, head: TerraformJson): ResourceDiff {
  const before = addressedBlocks(base);
  const after = addressedBlocks(head);
  const added: AddedOrRemoved[] = [];
  const removed: AddedOrRemoved[] = [];
  const changed: ChangedResource[] = [];
  for (const [address, block] of after) {
    const old = before.get(address);
    if (!old) {
      added.push({ address, type: block.type, values: Object.fromEntries(flatten(block.body)) });
      continue;
    }
    const attributes = diffLeaves(flatten(old.body), flatten(block.body));
    if (attributes.length > 0) changed.push({ address, type: block.type, attributes });
  }
  for (const [address, block] of before) {
    if (!after.has(address)) removed.push({ address, type: block.type, values: Object.fromEntries(flatten(block.body)) });
  }
  const settings = diffLeaves(flatten(stackSettings(base)), flatten(stackSettings(head)));
  return { added: added.sort(byAddress), removed: removed.sort(byAddress), changed: changed.sort(byAddress), settings };
}
