import { App } from 'cdktf';
import { loadConfigOrExit } from './config/load';
import { AwsIngestStack } from './stacks/aws-stack';
import { DatabricksStack } from './stacks/databricks-stack';

// Wiring only: config in, stacks out. A bad config is one line on stderr and exit code 2.
function main(): void {
  const config = loadConfigOrExit();
  const app = new App();
  const aws = new AwsIngestStack(app, `iot-aws-${config.stage}`, { config });
  new DatabricksStack(app, `iot-databricks-${config.stage}`, { config, aws: aws.exports });
  app.synth();
}

main();
