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

  it('have unique ids and a description each', () => {
    expect(new Set(databricksRules.map((r) => r.id)).size).toBe(databricksRules.length);
    for (const r of databricksRules) expect(r.description.length).toBeGreaterThan(20);
  });

  it.each<[string, string, (copy: Json) => void]>([
    ['DBX_JOB_ON_JOB_CLUSTER', 'a task on an all-purpose cluster', (c) => { only(c, 'databricks_job').task[0].existing_cluster_id = '0101-abc'; }],
    ['DBX_JOB_ON_JOB_CLUSTER', 'a job-level all-purpose cluster', (c) => { only(c, 'databricks_job').existing_cluster_id = '0101-abc'; }],
    ['DBX_NOTEBOOK_FROM_SOURCE', 'inline notebook content', (c) => { const nb = only(c, 'databricks_notebook'); delete nb.source; nb.content_base64 = 'cHJpbnQoMSk='; }],
    ['DBX_CONTINUOUS_JOB_SINGLE_RUN', 'two concurrent runs', (c) => { only(c, 'databricks_job').max_concurrent_runs = 2; }],
    ['DBX_CONTINUOUS_JOB_SINGLE_RUN', 'unset concurrency', (c) => { delete only(c, 'databricks_job').max_concurrent_runs; }],
    ['DBX_EXTERNAL_LOCATION_SSE_KMS', 'no encryption details', (c) => { delete only(c, 'databricks_external_location').encryption_details; }],
    ['DBX_EXTERNAL_LOCATION_SSE_KMS', 'SSE-S3 instead of KMS', (c) => { only(c, 'databricks_external_location').encryption_details.sse_encryption_details = { algorithm: 'AWS_SSE_S3' }; }],
    ['DBX_PROVIDER_NO_INLINE_CREDENTIALS', 'a token in the provider block', (c) => { c.provider.databricks[0].token = 'dapi-not-a-real-token'; }],
    ['DBX_PROVIDER_NO_INLINE_CREDENTIALS', 'an OAuth secret in the provider block', (c) => { c.provider.databricks[0].client_secret = 'not-a-real-secret'; }],
    ['DBX_GRANTS_NO_ALL_PRIVILEGES', 'ALL_PRIVILEGES on the schema', (c) => { (Object.values(c.resource.databricks_grants)[0] as Json).grant[0].privileges = ['ALL_PRIVILEGES']; }],
    ['DBX_GRANTS_NO_ALL_PRIVILEGES', 'ALL_PRIVILEGES on the catalog', (c) => { only(c, 'databricks_grant').privileges = ['ALL_PRIVILEGES']; }],
    ['DBX_JOB_CLUSTER_UNITY_CATALOG', 'a no-isolation cluster', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.data_security_mode = 'NONE'; }],
    ['DBX_JOB_CLUSTER_UNITY_CATALOG', 'an instance profile on a shared cluster', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.data_security_mode = 'USER_ISOLATION'; }],
    ['DBX_JOB_CLUSTER_NO_KEYS', 'an S3 secret key in spark_conf', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.spark_conf = { 'fs.s3a.secret.key': 'x' }; }],
    ['DBX_JOB_CLUSTER_NO_KEYS', 'AWS keys in spark_env_vars', (c) => { only(c, 'databricks_job').job_cluster[0].new_cluster.spark_env_vars = { AWS_SECRET_ACCESS_KEY: 'x' }; }],
    ['DBX_NO_DEPRECATED_SQL_RESOURCES', 'a legacy SQL query', (c) => { c.resource.databricks_sql_query = { old: { query: 'SELECT 1' } }; }],
  ])('%s fails a copy with %s', (ruleId, _what, mutate) => {
    const findings = evaluate(weakened(mutate));
    expect(findings.map((f) => f.ruleId)).toEqual([ruleId]);
    const [finding] = findings;
    expect(finding.severity).toBe(databricksRules.find((r) => r.id === ruleId)!.severity);
    expect(finding.address).toMatch(/^(provider\.databricks\[0\]|databricks_[a-z_]+\.[A-Za-z0-9_-]+)$/);
    expect(finding.message).not.toContain('\n');
  });
});
