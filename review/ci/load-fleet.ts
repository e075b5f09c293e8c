import { loadConfigOrExit } from '../../config/load';
import { loadFleetResourceName, loadFleetStackName } from '../../stacks/load-fleet-stack';

/**
 * CI step of the deploy workflow: whether STAGE's config enables the load fleet, and if so its stack and
 * ECR repository, as `key=value` lines for $GITHUB_OUTPUT. The fleet steps and the image job run only when
 * `enabled=true`. A bad config is one line on stderr and exit code 2, like synth.
 *
 *   npx tsx review/ci/load-fleet.ts >> "$GITHUB_OUTPUT"
 */
export function loadFleetOutputs(config: { stage: string; loadFleet: { enabled: boolean } }): string[] {
  if (!config.loadFleet.enabled) return ['enabled=false'];
  return ['enabled=true', `stack=${loadFleetStackName(config.stage)}`, `repository=${loadFleetResourceName(config.stage)}`];
}

if (require.main === module) {
  for (const line of loadFleetOutputs(loadConfigOrExit())) process.stdout.write(`${line}\n`);
}
