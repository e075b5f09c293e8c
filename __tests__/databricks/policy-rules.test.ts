import { rmSync } from 'node:fs';
import { databricksRules } from '../../policy/rules/databricks';
import { only, synthDatabricks, testConfig, type Json } from './stack-fixtures';

const evaluate = (stack: Json) => databricksRules.flatMap((rule) => rule.check(stack));

describe('Databricks policy rules', () => {
  const variants = [
    synthDatabricks(testConfig()),
    synthDatabricks(testConfig({ cluster: { accessMode: 'standard' }, alerts: { email: 'oncall@example.com' } })),
  ];
  const ours = variants[0].json;
  afterAll(() => variants.forEach((v) => rmSync(v.outdir, { recursive: true, force: true })));

  const weakened = (mutate: (copy: Json) => void): Json => {
    const copy = structuredClone(ours);
    mutate(copy);
    return copy;
  };

  it('pass on our stack in both access modes', () => {
    expect(databricksRules.length).toBeGreaterThanOrEqual(9);
    for (const v of variants) expect(evaluate(v.json)).toEqual([]);
  });

  it('are numbered IOT-DBX-001.. like the AWS rules, with a description each', () => {
    expect(databricksRules.map((r) => r.id)).toEqual(
      databricksRules.map((_, i) => `IOT-DBX-${String(i + 1).padStart(3, '0')}`),
    );
    for (const r of databricksRules) expect(r.description.length).toBeGreaterThan(20);
  });

  it.each<[string, string, (copy: Json) => void]>([
    ['IOT-DBX-003', 'a task on an all-purpose cluster', (c) => { only(c, 'databricks_job').task[0].existing_cluster_id = '0101-abc'; }],
    ['IOT-DBX-003', 'a job-level all-purpose cluster', (c) => { only(c, 'databricks_job').existing_cluster_id = '0101-abc'; }],
    ['IOT-DBX-002', 'inline notebook content', (c) => { const nb = only(c, 'databricks_notebook'); delete nb.source; nb.content_base64 = 'cHJpbnQoMSk='; }],
    ['IOT-DBX-004', 'two concurrent runs', (c) => { only(c, 'databricks_job').max_concurrent_runs = 2; }],
    ['IOT-DBX-004', 'unset concurrency', (c) => { delete only(c, 'databricks_job').max_concurrent_runs; }],
    ['IOT-DBX-007', 'no encryption details', (c) => { delete only(c, 'databricks_external_location').encryption_details; }],
    ['IOT-DBX-007', 'SSE-S3 instead of KMS', (c) => { only(c, 'databricks_external_location').encryption_details.sse_encryption_details = { algorithm: 'AWS_SSE_S3' }; }],
    ['IOT-DBX-001', 'a token in the provider block', (c) => { c.provider.databricks[0].token = 'dapi-not-a-real-token'; }],
    ['IOT-DBX-001', 'an OAuth secret in the provider block', (c) => { c.provider.databricks[0].client_secret = 'not-a-real-secret'; }],
    ['IOT-DBX-008', 'ALL_PRIVILEGES on the schema', (c) => { (Object.values(c.resource.databricks_grants)[0] as Json).grant[0].privileges = ['ALL_PRIVILEGES']; }],
    ['IOT-DBX-008', 'ALL_PRIVILEGES on the catalog', (c) => { c.resource.databricks_grant = { g: { catalog: 'main', principal: 'x', privileges: ['ALL_PRIVILEGES'] } }; }],
    ['IOT-DBX-010', 'a continuous job without run_as', (c) => { delete only(c, 'databricks_job').run_as; }],
    ['IOT-DBX-010', 'a dedicated cluster assigned to whoever applies', (c) => {
      only(c, 'databricks_job').job_cluster[0].new_cluster.single_user_name = '${data.databricks_current_user.me.user_name}';
    }],
    ['IOT-DBX-011', 'a continuous job a deploy does not restart', (c) => { delete only(c, 'databricks_job').control_run_state; }],
    ['IOT-DBX-012', 'a dashboard without permissions', (c) => {
      const perms = c.resource.databricks_permissions as Record<string, Json>;
      for (const [name, p] of Object.entries(perms)) if (p.dashboard_id) delete perms[name];
    }],
    ['IOT-DBX-012', 'a warehouse whose permissions grant nobody', (c) => {
      for (const p of Object.values(c.resource.databricks_permissions as Record<string, Json>)) if (p.sql_endpoint_id) p.access_control = [];
    }],
    ['IOT-DBX-013', 'an instance profile registered but unused', (c) => { delete only(c, 'databricks_job').job_cluster[0].new_cluster.aws_attributes.instance_profile_arn; }],
    ['IOT-DBX-005', 'a no-isolation cluster', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.data_security_mode = 'NONE'; }],
    ['IOT-DBX-005', 'an instance profile on a shared cluster', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.data_security_mode = 'USER_ISOLATION'; }],
    ['IOT-DBX-006', 'an S3 secret key in spark_conf', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.spark_conf = { 'fs.s3a.secret.key': 'x' }; }],
    ['IOT-DBX-006', 'AWS keys in spark_env_vars', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.spark_env_vars = { AWS_SECRET_ACCESS_KEY: 'x' }; }],
    ['IOT-DBX-009', 'a legacy SQL query', (c) => { c.resource.databricks_sql_query = { old: { query: 'SELECT 1' } }; }],
  ])('%s fails a copy with %s', (ruleId, _what, mutate) => {
    const findings = evaluate(weakened(mutate));
    expect(findings.map((f) => f.ruleId)).toEqual([ruleId]);
    const [finding] = findings;
    expect(finding.severity).toBe(databricksRules.find((r) => r.id === ruleId)!.severity);
    expect(finding.address).toMatch(/^(provider\.databricks\[0\]|databricks_[a-z_]+\.[A-Za-z0-9_-]+)$/);
    expect(finding.message.length).toBeGreaterThan(20);
    expect(finding.message).not.toContain('\n');
  });
});
