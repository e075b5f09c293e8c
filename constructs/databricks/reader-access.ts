import type { PermissionsAccessControl } from '@cdktf/provider-databricks/lib/permissions';

const APPLICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A `databricks_permissions` access-control entry for a principal written the way Unity Catalog grants
 * write it: an application id is a service principal, an e-mail address a user, anything else a group.
 */
export function accessControlFor(principal: string, permissionLevel: string): PermissionsAccessControl {
  if (APPLICATION_ID.test(principal)) return { servicePrincipalName: principal, permissionLevel };
  if (principal.includes('@')) return { userName: principal, permissionLevel };
  return { groupName: principal, permissionLevel };
}
