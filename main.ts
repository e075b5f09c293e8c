import { App } from 'cdktf';
import { ConfigError, loadConfig } from './config/load';
import { AwsIngestStack } from './stacks/aws-stack';
import { DatabricksStack } from './stacks/databricks-stack';

// Wiring only: config in, stacks out. A bad config is one line on stderr and exit code 2.
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = new App();
  const aws = new AwsIngestStack(app, `iot-aws-${config.stage}`, { config });
  new DatabricksStack(app, `iot-databricks-${config.stage}`, { config, aws: aws.exports });
  app.synth();
}

main();
