import { resourcesOf } from '../../policy/terraform-json';
import { isRecord } from '../terraform-json';

/**
 * Where a synthesized stack keeps its state, as CI cares about it: a local file dies with the runner, so a
 * plan against it starts from nothing and a deploy from it recreates everything.
 */
export function usesLocalState(stack: Record<string, unknown>): boolean {
  const terraform = isRecord(stack.terraform) ? stack.terraform : {};
  const backend = isRecord(terraform.backend) ? Object.keys(terraform.backend) : [];
  return backend.length === 0 || backend.includes('local');
}

/** True when the stack reads another stack's outputs through a terraform_remote_state on the local backend. */
export function readsLocalRemoteState(stack: Record<string, unknown>): boolean {
  return resourcesOf(stack, 'terraform_remote_state', 'data').some(([, remote]) => remote.backend === 'local');
}
