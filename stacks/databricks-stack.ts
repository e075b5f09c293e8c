import { resolve } from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { configureBackend } from './backend';
import type { Construct } from 'constructs';
import { Credential } from '@cdktf/provider-databricks/lib/credential';
import { InstanceProfile } from '@cdktf/provider-databricks/lib/instance-profile';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import type { AppConfig } from '../config/schema';
import { FleetAnalytics } from '../constructs/databricks/analytics';
import { streamingAutoscale } from '../constructs/databricks/autoscale';
import { processorNotebookParameters } from '../constructs/databricks/processor-parameters';
import { StreamingJob } from '../constructs/databricks/streaming-job';
import { LakeStorage } from '../constructs/databricks/unity-catalog';
import type { AwsStackExports } from './aws-stack';

export const PROCESSOR_NOTEBOOK_FILE = resolve(__dirname, '../notebooks/iot_stream_processor.py');

/** The parts of the app config this stack reads. */
export type DatabricksStackConfig = Pick<AppConfig, 'stage' | 'region' | 'stream' | 'backend' | 'databricks'>;

/** The AWS stack's public resources this stack consumes. */
export type DatabricksAwsInputs = Pick<
  AwsStackExports,
  'region' | 'streamName' | 'kmsKeyArn' | 'bucketUrl' | 'instanceProfileArn' | 'unityCatalogRoleArn' | 'kinesisServiceRoleArn'
>;

export interface DatabricksStackProps {
  readonly config: DatabricksStackConfig;
  /** The AWS stack's resource attributes: passing them here makes CDKTF read them through remote state. */
  readonly aws: DatabricksAwsInputs;
}

/**
 * Unity Catalog on the lake bucket, the processor notebook as a continuous job, and the SQL analytics.
 * Provider credentials come from the environment at plan time (DATABRICKS_HOST plus DATABRICKS_TOKEN or
 * DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET), never from code or config.
 */
export class DatabricksStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: DatabricksStackProps) {
    super(scope, id);
    const { config, aws } = props;
    const dbx = config.databricks;
    const prefix = `iot-${config.stage}`;
    const tags = { project: 'iot-streaming', stage: config.stage, 'managed-by': 'cdktf' };

    new DatabricksProvider(this, 'databricks', {});
    configureBackend(this, id, config);

    const instanceProfile = new InstanceProfile(this, 'instance-profile', {
      instanceProfileArn: aws.instanceProfileArn,
    });

    const lake = new LakeStorage(this, 'lake', {
      namePrefix: prefix,
      bucketUrl: aws.bucketUrl,
      kmsKeyArn: aws.kmsKeyArn,
      unityCatalogRoleArn: aws.unityCatalogRoleArn,
      existingStorageCredentialName: dbx.unityCatalog.storageCredentialName,
      catalogName: dbx.unityCatalog.catalog,
      createCatalog: dbx.unityCatalog.createCatalog,
      schemaName: dbx.unityCatalog.schema,
      volumeName: dbx.unityCatalog.volume,
      readerPrincipal: dbx.unityCatalog.readerPrincipal,
    });

    const standard = dbx.cluster.accessMode === 'standard';
    const serviceCredential = standard
      ? new Credential(this, 'kinesis-credential', {
          name: `${prefix}-kinesis`,
          purpose: 'SERVICE',
          awsIamRole: { roleArn: aws.kinesisServiceRoleArn },
          comment: 'Kinesis read access for the IoT stream processor (managed by CDKTF)',
        })
      : undefined;

    const baseParameters = processorNotebookParameters({
      streamName: aws.streamName,
      region: aws.region,
      authMode: standard ? 'service_credential' : 'instance_profile',
      serviceCredentialName: serviceCredential?.name,
      initialPosition: dbx.processor.initialPosition,
      consumerMode: dbx.processor.consumerMode,
      maxRecordsPerFetch: dbx.processor.maxRecordsPerFetch,
      catalog: lake.catalogName,
      schema: lake.schemaName,
      tables: dbx.tables,
      checkpointBase: `${lake.volumePath}/processor`,
      trigger: dbx.processor.trigger,
      watermarkDelay: dbx.processor.watermarkDelay,
      thresholds: dbx.thresholds,
    });

    const job = new StreamingJob(this, 'processor', {
      jobName: `${prefix}-stream-processor`,
      notebookFile: PROCESSOR_NOTEBOOK_FILE,
      notebookWorkspacePath: `${dbx.workspaceFolder}/${config.stage}/iot_stream_processor`,
      baseParameters,
      compute: standard ? { accessMode: 'standard' } : { accessMode: 'dedicated', instanceProfileArn: instanceProfile.id },
      autoscale: streamingAutoscale({
        shardCount: config.stream.mode === 'ON_DEMAND' ? undefined : config.stream.shardCount,
        onDemandShardEstimate: dbx.cluster.onDemandShardEstimate,
        shardsPerWorker: dbx.cluster.shardsPerWorker,
        minWorkers: dbx.cluster.minWorkers,
        maxWorkers: dbx.cluster.maxWorkers,
      }),
      minCoresPerNode: dbx.cluster.minCoresPerNode,
      sparkVersion: dbx.cluster.sparkVersion,
      notificationEmail: dbx.alerts.email,
      backlogAlertSeconds: dbx.alerts.backlogSeconds,
      pauseStatus: dbx.cluster.pauseStatus,
      tags,
    });

    const analytics = new FleetAnalytics(this, 'analytics', {
      folder: `${dbx.workspaceFolder}/${config.stage}/analytics`,
      namePrefix: prefix,
      catalog: dbx.unityCatalog.catalog,
      schema: dbx.unityCatalog.schema,
      processedTable: dbx.tables.processed,
      existingWarehouseId: dbx.warehouse.existingId,
      warehouseSize: dbx.warehouse.size,
      autoStopMins: dbx.warehouse.autoStopMins,
    });

    new TerraformOutput(this, 'job_id', { value: job.job.id });
    new TerraformOutput(this, 'dashboard_id', { value: analytics.dashboard.id });
    new TerraformOutput(this, 'warehouse_id', { value: analytics.warehouseId });
    if (lake.storageCredential) {
      // The UC role's trust policy must name this external id (the account id when an account admin created it).
      new TerraformOutput(this, 'storage_credential_external_id', {
        value: lake.storageCredential.awsIamRole.externalId,
      });
    }
  }
}
