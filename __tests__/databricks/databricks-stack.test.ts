import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabricksStack, PROCESSOR_NOTEBOOK_FILE } from '../../stacks/databricks-stack';
import { App } from 'cdktf';
import { inspectNotebook } from './notebook-inspection';
import { LITERAL_AWS, only, synthDatabricks, testConfig, type Json, type Synthesized } from './stack-fixtures';

const FAKE_TOKEN = 'dapi0123456789abcdef0123456789abcdef';
const FAKE_HOST = 'dbc-test-workspace.cloud.databricks.com';

describe('Databricks stack', () => {
  let dedicated: Synthesized;
  let standard: Synthesized;

  beforeAll(() => {
    // Credentials in the environment, as at plan time: they must not leak into the synthesized JSON.
    const saved = { ...process.env };
    Object.assign(process.env, { DATABRICKS_HOST: `https://${FAKE_HOST}`, DATABRICKS_TOKEN: FAKE_TOKEN });
    try {
      dedicated = synthDatabricks(testConfig({}, { mode: 'PROVISIONED', shardCount: 10 }));
      standard = synthDatabricks(
        testConfig({
          cluster: { accessMode: 'standard', minWorkers: 2, maxWorkers: 5 },
          alerts: { email: 'oncall@example.com', backlogSeconds: 120 },
          unityCatalog: {
            catalog: 'iot', createCatalog: true, schema: 'iot_dev', readerPrincipal: 'iot-analysts',
            storageCredentialName: 'existing-lake-credential',
          },
          warehouse: { existingId: '0123456789abcdef' },
        }),
      );
    } finally {
      process.env = saved;
    }
  });
  afterAll(() => {
    for (const s of [dedicated, standard]) rmSync(s.outdir, { recursive: true, force: true });
  });

  describe('secrets and portability', () => {
    it('keeps provider credentials out of the synthesized JSON', () => {
      for (const s of [dedicated, standard]) {
        expect(s.json.provider.databricks).toEqual([{}]);
        expect(s.text).not.toContain(FAKE_TOKEN);
        expect(s.text).not.toContain(FAKE_HOST);
        expect(s.text).not.toMatch(/"(token|password|client_secret|azure_client_secret)"\s*:/);
      }
    });

    it('uploads the notebook by source from an asset packaged with the stack, with no absolute path', () => {
      const notebook = only(dedicated.json, 'databricks_notebook');
      expect(notebook.content_base64).toBeUndefined();
      expect(notebook).toMatchObject({ language: 'PYTHON', path: '/Shared/iot-streaming/dev/iot_stream_processor' });
      expect(notebook.source).toMatch(/^assets\/[^/]+\/[^/]+\/iot_stream_processor\.py$/);
      const packaged = readFileSync(join(dedicated.outdir, 'stacks', 'iot-databricks-dev', notebook.source), 'utf8');
      expect(packaged).toBe(readFileSync(PROCESSOR_NOTEBOOK_FILE, 'utf8'));
      expect(dedicated.text).not.toContain(dedicated.outdir);
      expect(dedicated.text).not.toContain(process.cwd());
    });
  });

  describe('streaming job', () => {
    it('runs as a continuous job on its own job cluster, one run at a time', () => {
      const job = only(dedicated.json, 'databricks_job');
      expect(job.name).toBe('iot-dev-stream-processor');
      expect(job.continuous).toEqual({ pause_status: 'UNPAUSED' });
      expect(job.max_concurrent_runs).toBe(1);
      expect(job.existing_cluster_id).toBeUndefined();
      expect(job.task).toHaveLength(1);
      const [task] = job.task;
      expect(task.existing_cluster_id).toBeUndefined();
      expect(task.job_cluster_key).toBe(job.job_cluster[0].job_cluster_key);
      expect(task.notebook_task).toMatchObject({
        notebook_path: expect.stringMatching(/^\$\{databricks_notebook\.[^.]+\.path\}$/),
        source: 'WORKSPACE',
      });
    });

    it('takes runtime and node type from data sources, the instance profile, and workers from the shard count', () => {
      const cluster = only(dedicated.json, 'databricks_job').job_cluster[0].new_cluster;
      expect(cluster.spark_version).toMatch(/^\$\{data\.databricks_spark_version\.[^.]+\.id\}$/);
      expect(cluster.node_type_id).toMatch(/^\$\{data\.databricks_node_type\.[^.]+\.id\}$/);
      expect(only(dedicated.json, 'databricks_spark_version', 'data')).toMatchObject({ latest: true, long_term_support: true });
      expect(only(dedicated.json, 'databricks_node_type', 'data')).toMatchObject({ local_disk: true, min_cores: 4 });
      expect(cluster.data_security_mode).toBe('SINGLE_USER');
      expect(cluster.single_user_name).toMatch(/^\$\{data\.databricks_current_user\.[^.]+\.user_name\}$/);
      expect(cluster.aws_attributes.instance_profile_arn).toMatch(/^\$\{databricks_instance_profile\.[^.]+\.id\}$/);
      expect(only(dedicated.json, 'databricks_instance_profile').instance_profile_arn).toBe(LITERAL_AWS.instanceProfileArn);
      // 10 shards at 4 per worker.
      expect(cluster.autoscale).toEqual({ min_workers: 1, max_workers: 3 });
      expect(dedicated.json.resource.databricks_credential).toBeUndefined();
    });

    it('passes every notebook widget as a base parameter, and nothing else', () => {
      const widgets = Object.keys(inspectNotebook().widgetDefaults).sort();
      for (const s of [dedicated, standard]) {
        const params = only(s.json, 'databricks_job').task[0].notebook_task.base_parameters as Record<string, unknown>;
        expect(Object.keys(params).sort()).toEqual(widgets);
        for (const v of Object.values(params)) expect(typeof v).toBe('string');
      }
      const params = only(dedicated.json, 'databricks_job').task[0].notebook_task.base_parameters;
      expect(params).toMatchObject({
        stream_name: LITERAL_AWS.streamName,
        region: LITERAL_AWS.region,
        auth_mode: 'instance_profile',
        service_credential: '',
        role_arn: '',
        catalog: expect.stringMatching(/^\$\{data\.databricks_catalog\.[^.]+\.name\}$/),
        schema: expect.stringMatching(/^\$\{databricks_schema\.[^.]+\.name\}$/),
        processed_table: 'iot_sensor_processed',
        checkpoint_base: expect.stringMatching(/^\$\{databricks_volume\.[^.]+\.volume_path\}\/processor$/),
        critical_temperature_c: '50',
      });
    });

    it('reads Kinesis through a Unity Catalog service credential on a standard-mode cluster', () => {
      const cluster = only(standard.json, 'databricks_job').job_cluster[0].new_cluster;
      expect(cluster.data_security_mode).toBe('USER_ISOLATION');
      expect(cluster.single_user_name).toBeUndefined();
      expect(cluster.aws_attributes.instance_profile_arn).toBeUndefined();
      expect(cluster.autoscale).toEqual({ min_workers: 2, max_workers: 5 });
      const credential = only(standard.json, 'databricks_credential');
      expect(credential).toMatchObject({
        purpose: 'SERVICE',
        name: 'iot-dev-kinesis',
        aws_iam_role: { role_arn: LITERAL_AWS.kinesisServiceRoleArn },
      });
      const params = only(standard.json, 'databricks_job').task[0].notebook_task.base_parameters;
      expect(params.auth_mode).toBe('service_credential');
      expect(params.service_credential).toMatch(/^\$\{databricks_credential\.[^.]+\.name\}$/);
    });

    it('notifies and watches the streaming backlog only when an email is configured', () => {
      const quiet = only(dedicated.json, 'databricks_job');
      expect(quiet.email_notifications).toBeUndefined();
      expect(quiet.health).toBeUndefined();
      const loud = only(standard.json, 'databricks_job');
      expect(loud.email_notifications).toEqual({
        on_failure: ['oncall@example.com'],
        on_streaming_backlog_exceeded: ['oncall@example.com'],
      });
      expect(loud.health.rules).toEqual([{ metric: 'STREAMING_BACKLOG_SECONDS', op: 'GREATER_THAN', value: 120 }]);
    });

    it('sizes an on-demand stream from the configured estimate', () => {
      const config = testConfig({ cluster: { onDemandShardEstimate: 12 } }, { mode: 'ON_DEMAND', shardCount: undefined });
      const onDemand = synthDatabricks(config);
      try {
        expect(only(onDemand.json, 'databricks_job').job_cluster[0].new_cluster.autoscale).toEqual({ min_workers: 1, max_workers: 3 });
      } finally {
        rmSync(onDemand.outdir, { recursive: true, force: true });
      }
    });

    it('refuses autoscale bounds that cannot hold', () => {
      const config = testConfig({ cluster: { minWorkers: 4 } });
      const bad = { ...config, databricks: { ...config.databricks, cluster: { ...config.databricks.cluster, maxWorkers: 3 } } };
      expect(() => new DatabricksStack(new App(), 'bad', { config: bad, aws: LITERAL_AWS })).toThrow(
        'databricks.cluster.maxWorkers must be an integer >= minWorkers (4), got 3',
      );
    });
  });

  describe('Unity Catalog', () => {
    it('puts an SSE-KMS external location on the bucket through a storage credential on the UC role', () => {
      const credential = only(dedicated.json, 'databricks_storage_credential');
      expect(credential.aws_iam_role).toEqual({ role_arn: LITERAL_AWS.unityCatalogRoleArn });
      const location = only(dedicated.json, 'databricks_external_location');
      expect(location).toMatchObject({
        url: LITERAL_AWS.bucketUrl,
        credential_name: expect.stringMatching(/^\$\{databricks_storage_credential\.[^.]+\.name\}$/),
        encryption_details: { sse_encryption_details: { algorithm: 'AWS_SSE_KMS', aws_kms_key_arn: LITERAL_AWS.kmsKeyArn } },
      });
      expect(dedicated.json.output.storage_credential_external_id.value).toMatch(/^\$\{databricks_storage_credential\.[^.]+\.aws_iam_role\[0\]\.external_id\}$/);
    });

    it('creates the schema with its managed location on the external location, and a checkpoint volume', () => {
      const schema = only(dedicated.json, 'databricks_schema');
      expect(schema).toMatchObject({ name: 'iot_dev', storage_root: 's3://iot-dev-lake/unity-catalog/schemas/iot_dev' });
      expect(schema.depends_on).toEqual([expect.stringMatching(/^databricks_external_location\./)]);
      expect(only(dedicated.json, 'databricks_volume')).toMatchObject({ name: 'checkpoints', volume_type: 'MANAGED' });
    });

    it('grants the reader principal read access only, additively on an existing catalog', () => {
      const grants = [
        ...(Object.values(dedicated.json.resource.databricks_grants) as Json[]).flatMap((g) => g.grant as Json[]),
        ...(Object.values(dedicated.json.resource.databricks_grant ?? {}) as Json[]),
      ];
      for (const g of grants) expect(g.principal).toBe('iot-analysts');
      expect(grants.flatMap((g) => g.privileges as string[]).sort()).toEqual(['READ_VOLUME', 'SELECT', 'USE_CATALOG', 'USE_SCHEMA']);
      expect(only(dedicated.json, 'databricks_catalog', 'data').name).toBe('main');
      expect(dedicated.json.resource.databricks_catalog).toBeUndefined();
      expect(only(dedicated.json, 'databricks_grant').catalog).toMatch(/^\$\{data\.databricks_catalog\./);
    });

    it('creates the catalog and reuses an existing storage credential when configured', () => {
      expect(only(standard.json, 'databricks_catalog')).toMatchObject({
        name: 'iot',
        storage_root: 's3://iot-dev-lake/unity-catalog/catalog',
      });
      expect(standard.json.resource.databricks_grant).toBeUndefined();
      expect(standard.json.resource.databricks_storage_credential).toBeUndefined();
      expect(only(standard.json, 'databricks_storage_credential', 'data').name).toBe('existing-lake-credential');
      expect(only(standard.json, 'databricks_external_location').credential_name).toMatch(/^\$\{data\.databricks_storage_credential\./);
      expect(standard.json.output.storage_credential_external_id).toBeUndefined();
    });
  });

  describe('analytics', () => {
    it('saves both analysis queries with catalog/schema/table parameter defaults from config', () => {
      const queries = Object.values(dedicated.json.resource.databricks_query) as Json[];
      expect(queries).toHaveLength(2);
      for (const q of queries) {
        expect(q.warehouse_id).toMatch(/^\$\{databricks_sql_endpoint\.[^.]+\.id\}$/);
        expect(q.query_text).toContain("IDENTIFIER(:catalog || '.' || :schema || '.' || :processed_table)");
        expect(Object.fromEntries((q.parameter as Json[]).map((p) => [p.name, p.text_value.value]))).toEqual({
          catalog: 'main',
          schema: 'iot_dev',
          processed_table: 'iot_sensor_processed',
        });
      }
      expect(only(dedicated.json, 'databricks_sql_endpoint')).toMatchObject({
        enable_serverless_compute: true,
        cluster_size: '2X-Small',
        auto_stop_mins: 10,
      });
    });

    it('charts both on a Lakeview dashboard reading the configured table', () => {
      const dashboard = only(dedicated.json, 'databricks_dashboard');
      expect(dashboard.embed_credentials).toBe(false);
      const doc = JSON.parse(dashboard.serialized_dashboard);
      expect(doc.datasets).toHaveLength(2);
      for (const d of doc.datasets) expect(d.queryLines.join('')).toContain('`main`.`iot_dev`.`iot_sensor_processed`');
    });

    it('uses an existing SQL warehouse by id instead of creating one', () => {
      expect(standard.json.resource.databricks_sql_endpoint).toBeUndefined();
      expect(only(standard.json, 'databricks_sql_warehouse', 'data').id).toBe('0123456789abcdef');
      expect(only(standard.json, 'databricks_dashboard').warehouse_id).toMatch(/^\$\{data\.databricks_sql_warehouse\./);
    });
  });
});
