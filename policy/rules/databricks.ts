/**
 * Databricks rules over one synthesized stack (cdk.tf.json). No public scanner covers these resources, so
 * the rules carry no checkov/trivy ids.
 */

import { blocks as asArray, refersTo, resourcesOf, type Block } from '../terraform-json';
import { finding, type Finding, type PolicyRule, type TerraformJson } from '../types';

type Report = (address: string, message: string) => Finding;

/** Every new_cluster of a job: job-level, per job_cluster, per task. */
function jobClusters(job: Block): Block[] {
  return [
    ...asArray(job.new_cluster),
    ...asArray(job.job_cluster).flatMap((jc) => asArray(jc.new_cluster)),
    ...asArray(job.task).flatMap((t) => asArray(t.new_cluster)),
  ];
}

function rule(def: Omit<PolicyRule, 'check'>, check: (stack: TerraformJson, report: Report) => Finding[]): PolicyRule {
  const report: Report = (address, message) => finding(def, address, message);
  return { ...def, check: (stack) => check(stack, report) };
}

const UC_ACCESS_MODES = [
  'SINGLE_USER',
  'USER_ISOLATION',
  'DATA_SECURITY_MODE_DEDICATED',
  'DATA_SECURITY_MODE_STANDARD',
];
const SHARED_ACCESS_MODES = ['USER_ISOLATION', 'DATA_SECURITY_MODE_STANDARD'];
const PROVIDER_SECRETS = ['token', 'password', 'client_secret', 'azure_client_secret', 'google_credentials'];
const SECRET_CONF = /(access[._-]?key|secret|session[._-]?token|password)/i;
const DEDICATED_ACCESS_MODES = ['SINGLE_USER', 'DATA_SECURITY_MODE_DEDICATED'];
/** Objects a reader uses, and the databricks_permissions attribute that names each. */
const READER_OBJECTS: Array<[type: string, permissionsAttribute: string]> = [
  ['databricks_sql_endpoint', 'sql_endpoint_id'],
  ['databricks_query', 'sql_query_id'],
  ['databricks_dashboard', 'dashboard_id'],
];
const DEPRECATED_SQL = [
  'databricks_sql_query',
  'databricks_sql_dashboard',
  'databricks_sql_visualization',
  'databricks_sql_widget',
];

export const databricksRules: PolicyRule[] = [
  rule(
    {
      id: 'IOT-DBX-001',
      severity: 'CRITICAL',
      description: 'The databricks provider takes credentials from the environment, never from the configuration',
    },
    (stack, report) =>
      asArray(((stack as Block)?.provider as Block | undefined)?.databricks).flatMap((p, i) =>
        PROVIDER_SECRETS.filter((key) => p[key] !== undefined).map((key) =>
          report(
            `provider.databricks[${i}]`,
            `provider sets ${key}; use DATABRICKS_* environment variables at plan time`,
          ),
        ),
      ),
  ),
  rule(
    {
      id: 'IOT-DBX-002',
      severity: 'MEDIUM',
      description: 'Notebooks are uploaded from a reviewed file with source, not inline content_base64',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_notebook').flatMap(([address, nb]) =>
        nb.content_base64 !== undefined || typeof nb.source !== 'string'
          ? [report(address, 'notebook must set source (a file in the repository) and not content_base64')]
          : [],
      ),
  ),
  rule(
    {
      id: 'IOT-DBX-003',
      severity: 'HIGH',
      description: 'Jobs run on their own job clusters, never on an all-purpose cluster (existing_cluster_id)',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job').flatMap(([address, job]) => {
        const onExisting = [job, ...asArray(job.task)].filter((b) => b.existing_cluster_id !== undefined);
        return onExisting.length > 0
          ? [report(address, 'job runs on an all-purpose cluster (existing_cluster_id); use a job_cluster')]
          : [];
      }),
  ),
  rule(
    {
      id: 'IOT-DBX-004',
      severity: 'MEDIUM',
      description: 'A streaming job runs one run at a time so two runs never share a checkpoint',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job')
        .filter(([, job]) => job.continuous !== undefined)
        .flatMap(([address, job]) =>
          job.max_concurrent_runs === 1
            ? []
            : [
                report(
                  address,
                  `continuous job has max_concurrent_runs ${String(job.max_concurrent_runs ?? 'unset')}; set 1`,
                ),
              ],
        ),
  ),
  rule(
    {
      id: 'IOT-DBX-005',
      severity: 'HIGH',
      description:
        'Job clusters use a Unity Catalog access mode; shared (standard) ones do not carry an instance profile',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job').flatMap(([address, job]) =>
        jobClusters(job).flatMap((cluster) => {
          const mode = cluster.data_security_mode;
          if (typeof mode !== 'string' || !UC_ACCESS_MODES.includes(mode)) {
            return [
              report(
                address,
                `job cluster data_security_mode is ${String(mode ?? 'unset')}; use one of ${UC_ACCESS_MODES.join(
                  ', ',
                )}`,
              ),
            ];
          }
          const profile = asArray(cluster.aws_attributes).some((a) => a.instance_profile_arn !== undefined);
          return SHARED_ACCESS_MODES.includes(mode) && profile
            ? [
                report(
                  address,
                  `instance profiles do not work in ${mode} clusters; use a Unity Catalog service credential`,
                ),
              ]
            : [];
        }),
      ),
  ),
  rule(
    {
      id: 'IOT-DBX-006',
      severity: 'CRITICAL',
      description: 'No access keys or secrets in job cluster spark_conf or spark_env_vars',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job').flatMap(([address, job]) =>
        jobClusters(job).flatMap((cluster) =>
          [cluster.spark_conf, cluster.spark_env_vars]
            .flatMap((m) => Object.keys((m as Block | undefined) ?? {}))
            .filter((key) => SECRET_CONF.test(key))
            .map((key) => report(address, `job cluster sets ${key}; use an instance profile or a service credential`)),
        ),
      ),
  ),
  rule(
    {
      id: 'IOT-DBX-007',
      severity: 'HIGH',
      description: 'External locations write with SSE-KMS under the bucket key',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_external_location').flatMap(([address, loc]) => {
        const sse = asArray(loc.encryption_details).flatMap((e) => asArray(e.sse_encryption_details))[0];
        return sse?.algorithm === 'AWS_SSE_KMS' && typeof sse.aws_kms_key_arn === 'string'
          ? []
          : [
              report(
                address,
                'external location needs encryption_details.sse_encryption_details with AWS_SSE_KMS and aws_kms_key_arn',
              ),
            ];
      }),
  ),
  rule(
    {
      id: 'IOT-DBX-008',
      severity: 'MEDIUM',
      description: 'Unity Catalog grants name privileges; ALL_PRIVILEGES is never granted',
    },
    (stack, report) => [
      ...resourcesOf(stack, 'databricks_grants').flatMap(([address, g]) =>
        asArray(g.grant)
          .filter((x) => Array.isArray(x.privileges) && x.privileges.includes('ALL_PRIVILEGES'))
          .map((x) => report(address, `grants ALL_PRIVILEGES to ${String(x.principal)}`)),
      ),
      ...resourcesOf(stack, 'databricks_grant')
        .filter(([, g]) => Array.isArray(g.privileges) && g.privileges.includes('ALL_PRIVILEGES'))
        .map(([address, g]) => report(address, `grants ALL_PRIVILEGES to ${String(g.principal)}`)),
    ],
  ),
  rule(
    {
      id: 'IOT-DBX-009',
      severity: 'LOW',
      description:
        'Queries and dashboards use databricks_query and databricks_dashboard (Lakeview), not the deprecated SQL objects',
    },
    (stack, report) =>
      DEPRECATED_SQL.flatMap((type) =>
        resourcesOf(stack, type).map(([address]) =>
          report(address, `${type} is deprecated; use databricks_query / databricks_dashboard`),
        ),
      ),
  ),
  rule(
    {
      id: 'IOT-DBX-010',
      severity: 'HIGH',
      description:
        'Continuous jobs set run_as, and a dedicated job cluster belongs to that identity, not to whoever applies',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job')
        .filter(([, job]) => job.continuous !== undefined)
        .flatMap(([address, job]) => {
          const runAs = asArray(job.run_as)[0];
          const identity = runAs?.service_principal_name ?? runAs?.user_name;
          if (typeof identity !== 'string' || identity === '') {
            return [report(address, 'continuous job has no run_as: it runs as whoever applied it last; set run_as from config')];
          }
          return jobClusters(job)
            .filter((c) => DEDICATED_ACCESS_MODES.includes(String(c.data_security_mode)) && c.single_user_name !== identity)
            .map((c) =>
              report(address, `dedicated job cluster belongs to ${String(c.single_user_name ?? 'nobody')}, not to the run_as identity ${identity}`),
            );
        }),
  ),
  rule(
    {
      id: 'IOT-DBX-011',
      severity: 'MEDIUM',
      description: 'Continuous jobs set control_run_state, so a deploy restarts the running stream with the new settings',
    },
    (stack, report) =>
      resourcesOf(stack, 'databricks_job')
        .filter(([, job]) => job.continuous !== undefined && job.control_run_state !== true)
        .map(([address]) => report(address, 'continuous job keeps running its old settings after a deploy: set control_run_state = true')),
  ),
  rule(
    {
      id: 'IOT-DBX-012',
      severity: 'MEDIUM',
      description: 'Every SQL warehouse, query and dashboard the stack creates has databricks_permissions for its readers',
    },
    (stack, report) => {
      const permissions = resourcesOf(stack, 'databricks_permissions').map(([, p]) => p);
      return READER_OBJECTS.flatMap(([type, attribute]) =>
        resourcesOf(stack, type)
          .filter(([address]) => !permissions.some((p) => refersTo(p[attribute], address) && asArray(p.access_control).length > 0))
          .map(([address]) => report(address, `${type} has no databricks_permissions (${attribute}): only its creator and admins can use it`)),
      );
    },
  ),
  rule(
    {
      id: 'IOT-DBX-013',
      severity: 'MEDIUM',
      description: 'Instance profiles are registered only where a job cluster uses them (registration needs PassRole and a workspace admin)',
    },
    (stack, report) => {
      const used = resourcesOf(stack, 'databricks_job').flatMap(([, job]) =>
        jobClusters(job).flatMap((c) => asArray(c.aws_attributes).map((a) => a.instance_profile_arn)),
      );
      return resourcesOf(stack, 'databricks_instance_profile')
        .filter(([address, profile]) => !used.some((arn) => refersTo(arn, address) || (arn !== undefined && arn === profile.instance_profile_arn)))
        .map(([address]) => report(address, 'instance profile is registered but no job cluster uses it'));
    },
  ),
];
