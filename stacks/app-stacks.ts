import type { App } from 'cdktf';
import type { AppConfig } from '../config/schema';
import { AwsIngestStack } from './aws-stack';
import { DatabricksStack } from './databricks-stack';
import { LoadFleetStack, loadFleetStackName } from './load-fleet-stack';

/**
 * Every stack of one stage, wired: the Databricks stack and (with `loadFleet.enabled`) the load fleet read the
 * AWS stack's outputs through remote state. main.ts synthesizes this; tests build the same app.
 */
export function addStacks(app: App, config: AppConfig): { aws: AwsIngestStack; databricks: DatabricksStack; loadFleet?: LoadFleetStack } {
  const aws = new AwsIngestStack(app, `iot-aws-${config.stage}`, { config });
  const databricks = new DatabricksStack(app, `iot-databricks-${config.stage}`, { config, aws: aws.exports });
  const loadFleet = config.loadFleet.enabled ? new LoadFleetStack(app, loadFleetStackName(config.stage), { config, aws: aws.exports }) : undefined;
  return { aws, databricks, ...(loadFleet ? { loadFleet } : {}) };
}
