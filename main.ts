import { App } from 'cdktf';
import { loadConfigOrExit } from './config/load';
import { addStacks } from './stacks/app-stacks';

// Wiring only: config in, stacks out. A bad config is one line on stderr and exit code 2.
function main(): void {
  const config = loadConfigOrExit();
  const app = new App();
  addStacks(app, config);
  app.synth();
}

main();
