import { App } from 'cdktf';
import { loadConfigOrExit } from '../config/load';
import { StateBucketStack } from '../stacks/state-bucket-stack';

// The remote-state bootstrap app (its own cdktf.json, its own local state): the bucket config/<STAGE>.json's
// backend names. Wiring only; a config that is not ready for it is one line on stderr and exit code 2.
function main(): void {
  const config = loadConfigOrExit();
  if (config.backend.type !== 's3') {
    process.stderr.write(
      `config: backend.type is "local" in config/${config.stage}.json; set backend.type "s3" and backend.bucket first, then bootstrap that bucket\n`,
    );
    process.exit(2);
  }
  const app = new App();
  new StateBucketStack(app, `iot-tfstate-${config.stage}`, { config });
  app.synth();
}

main();
