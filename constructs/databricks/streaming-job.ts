import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { DataDatabricksCurrentUser } from '@cdktf/provider-databricks/lib/data-databricks-current-user';
import { DataDatabricksNodeType } from '@cdktf/provider-databricks/lib/data-databricks-node-type';
import { DataDatabricksSparkVersion } from '@cdktf/provider-databricks/lib/data-databricks-spark-version';
import { Job, type JobJobClusterNewCluster } from '@cdktf/provider-databricks/lib/job';
import { Notebook } from '@cdktf/provider-databricks/lib/notebook';
import type { AutoscaleBounds } from './autoscale';

/** Consumer-delay health metric of the Jobs API (Public Preview), alerting on the Kinesis backlog. */
export const BACKLOG_METRIC = 'STREAMING_BACKLOG_SECONDS';

export type ClusterCompute =
  /** Dedicated (single-user) cluster reading Kinesis through the registered instance profile. */
  | { readonly accessMode: 'dedicated'; readonly instanceProfileArn: string }
  /** Standard (shared) cluster: instance profiles do not work there; the notebook uses a service credential. */
  | { readonly accessMode: 'standard' };

export interface StreamingJobProps {
  readonly jobName: string;
  /** Local notebook file in Databricks source format, packaged with the stack as an asset. */
  readonly notebookFile: string;
  /** Workspace path of the uploaded notebook, without extension. */
  readonly notebookWorkspacePath: string;
  /** Every widget of the notebook, and nothing else. */
  readonly baseParameters: Record<string, string>;
  readonly compute: ClusterCompute;
  readonly autoscale: AutoscaleBounds;
  /** Smallest worker size. */
  readonly minCoresPerNode: number;
  /**
   * Databricks Runtime version prefix, e.g. `16.4`.
   * @default the latest long-term-support runtime
   */
  readonly sparkVersion?: string;
  /**
   * Failure and backlog emails.
   * @default no notifications and no health rule
   */
  readonly notificationEmail?: string;
  /** Backlog (seconds behind the stream head) above which the health rule notifies. */
  readonly backlogAlertSeconds: number;
  /** `PAUSED` keeps the continuous job deployed but stopped. */
  readonly pauseStatus: 'UNPAUSED' | 'PAUSED';
  readonly tags: Record<string, string>;
}

const CLUSTER_KEY = 'stream';

/**
 * The processor notebook (uploaded by `source`) running as a continuous job on its own job cluster:
 * one run at a time, restarted by the Jobs service when it fails.
 */
export class StreamingJob extends Construct {
  public readonly job: Job;
  public readonly notebook: Notebook;

  constructor(scope: Construct, id: string, props: StreamingJobProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'notebook-asset', { path: props.notebookFile, type: AssetType.FILE });
    this.notebook = new Notebook(this, 'notebook', {
      path: props.notebookWorkspacePath,
      source: asset.path,
      language: 'PYTHON',
    });

    const sparkVersion = new DataDatabricksSparkVersion(this, 'spark-version', {
      longTermSupport: true,
      // Several builds can match a version prefix (e.g. Scala variants): take the newest.
      latest: true,
      ...(props.sparkVersion !== undefined ? { sparkVersion: props.sparkVersion } : {}),
    });
    const nodeType = new DataDatabricksNodeType(this, 'node-type', {
      localDisk: true,
      minCores: props.minCoresPerNode,
    });

    const cluster: JobJobClusterNewCluster = {
      sparkVersion: sparkVersion.id,
      nodeTypeId: nodeType.id,
      autoscale: { minWorkers: props.autoscale.minWorkers, maxWorkers: props.autoscale.maxWorkers },
      customTags: props.tags,
      ...(props.compute.accessMode === 'dedicated'
        ? {
            // Dedicated to the deploying identity, the job's run-as, so the instance profile is usable.
            dataSecurityMode: 'SINGLE_USER',
            singleUserName: new DataDatabricksCurrentUser(this, 'deployer').userName,
            awsAttributes: { availability: 'ON_DEMAND', instanceProfileArn: props.compute.instanceProfileArn },
          }
        : { dataSecurityMode: 'USER_ISOLATION', awsAttributes: { availability: 'ON_DEMAND' } }),
    };

    const email = props.notificationEmail;
    this.job = new Job(this, 'job', {
      name: props.jobName,
      description: 'Kinesis -> raw, processed and quarantine Delta tables (managed by CDKTF)',
      maxConcurrentRuns: 1,
      continuous: { pauseStatus: props.pauseStatus },
      jobCluster: [{ jobClusterKey: CLUSTER_KEY, newCluster: cluster }],
      task: [
        {
          taskKey: 'process_stream',
          jobClusterKey: CLUSTER_KEY,
          notebookTask: {
            notebookPath: this.notebook.path,
            source: 'WORKSPACE',
            baseParameters: props.baseParameters,
          },
        },
      ],
      tags: props.tags,
      ...(email
        ? {
            emailNotifications: { onFailure: [email], onStreamingBacklogExceeded: [email] },
            health: { rules: [{ metric: BACKLOG_METRIC, op: 'GREATER_THAN', value: props.backlogAlertSeconds }] },
          }
        : {}),
    });
  }
}
