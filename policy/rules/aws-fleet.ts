import { blocks, isBlock, refersTo, resourcesOf, type Block } from '../terraform-json';
import { finding, type PolicyRule, type TerraformJson } from '../types';

// The load fleet's image repository, container logs and Batch job definitions.

const ecrCmk: PolicyRule = {
  id: 'IOT-AWS-017',
  severity: 'HIGH',
  description: 'ECR repositories encrypt images with a customer-managed KMS key',
  checkov: 'CKV_AWS_136',
  trivy: 'AVD-AWS-0033',
  check(stack) {
    return resourcesOf(stack, 'aws_ecr_repository').flatMap(([address, repo]) => {
      const config = blocks(repo.encryption_configuration)[0];
      if (config?.encryption_type !== 'KMS') return [finding(this, address, `repository is not KMS-encrypted (encryption_type ${JSON.stringify(config?.encryption_type ?? 'AES256')})`)];
      const key = String(config.kms_key ?? '');
      if (!key || key === 'alias/aws/ecr') return [finding(this, address, `repository uses the AWS-managed key, not a CMK (kms_key ${JSON.stringify(key || null)})`)];
      return [];
    });
  },
};

const ecrImmutable: PolicyRule = {
  id: 'IOT-AWS-018',
  severity: 'MEDIUM',
  description: 'ECR repositories have immutable tags (a tag a job definition runs can never be re-pushed)',
  checkov: 'CKV_AWS_51',
  trivy: 'AVD-AWS-0031',
  check(stack) {
    return resourcesOf(stack, 'aws_ecr_repository')
      .filter(([, repo]) => repo.image_tag_mutability !== 'IMMUTABLE')
      .map(([address, repo]) => finding(this, address, `image tags are mutable (image_tag_mutability ${JSON.stringify(repo.image_tag_mutability ?? 'MUTABLE')})`));
  },
};

const ecrScanOnPush: PolicyRule = {
  id: 'IOT-AWS-019',
  severity: 'MEDIUM',
  description: 'ECR repositories scan every pushed image for vulnerabilities',
  checkov: 'CKV_AWS_163',
  trivy: 'AVD-AWS-0030',
  check(stack) {
    return resourcesOf(stack, 'aws_ecr_repository')
      .filter(([, repo]) => !blocks(repo.image_scanning_configuration).some((c) => c.scan_on_push === true))
      .map(([address]) => finding(this, address, 'images are not scanned on push (image_scanning_configuration.scan_on_push)'));
  },
};

const logGroupCmk: PolicyRule = {
  id: 'IOT-AWS-020',
  severity: 'HIGH',
  description: 'CloudWatch log groups are encrypted with a customer-managed KMS key',
  checkov: 'CKV_AWS_158',
  trivy: 'AVD-AWS-0017',
  check(stack) {
    return resourcesOf(stack, 'aws_cloudwatch_log_group')
      .filter(([, group]) => !group.kms_key_id)
      .map(([address]) => finding(this, address, 'log group is not encrypted with a CMK (no kms_key_id)'));
  },
};

const logGroupRetention: PolicyRule = {
  id: 'IOT-AWS-021',
  severity: 'LOW',
  description: 'CloudWatch log groups expire their events (a retention, never "never expire")',
  checkov: 'CKV_AWS_66',
  check(stack) {
    return resourcesOf(stack, 'aws_cloudwatch_log_group')
      .filter(([, group]) => !(Number(group.retention_in_days) > 0))
      .map(([address, group]) => finding(this, address, `log group keeps events forever (retention_in_days ${JSON.stringify(group.retention_in_days ?? null)})`));
  },
};

/** A job definition's container properties, parsed; a string rule cannot read yields its text instead. */
function containerProperties(definition: Block): Block | string {
  const text = String(definition.container_properties ?? '');
  try {
    const parsed: unknown = JSON.parse(text);
    return isBlock(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

/** The address of the log group the stack declares that `reference` (e.g. `${aws_cloudwatch_log_group.x.name}`) names. */
function managedLogGroup(stack: TerraformJson, reference: unknown): string | undefined {
  return resourcesOf(stack, 'aws_cloudwatch_log_group')
    .map(([address]) => address)
    .find((address) => refersTo(reference, address));
}

const batchLogs: PolicyRule = {
  id: 'IOT-AWS-022',
  severity: 'HIGH',
  description:
    "Batch job definitions send container logs (awslogs) to a log group of the stack, whose key and retention the rules check, never Batch's default /aws/batch/job",
  check(stack) {
    return resourcesOf(stack, 'aws_batch_job_definition').flatMap(([address, definition]) => {
      const props = containerProperties(definition);
      if (typeof props === 'string') return [finding(this, address, `container_properties is an expression no rule can read (${props.slice(0, 60)}): write it as JSON`)];
      const logs = isBlock(props.logConfiguration) ? props.logConfiguration : {};
      const options = isBlock(logs.options) ? logs.options : {};
      if (logs.logDriver !== 'awslogs') return [finding(this, address, `containers log with ${JSON.stringify(logs.logDriver ?? 'the default')} instead of awslogs to a log group of this stack`)];
      if (!managedLogGroup(stack, options['awslogs-group'])) {
        return [finding(this, address, `awslogs-group ${JSON.stringify(options['awslogs-group'] ?? '/aws/batch/job')} is not a log group this stack manages`)];
      }
      return [];
    });
  },
};

/** Names of variables that carry credentials, and values that look like AWS access key ids. */
const CREDENTIAL_NAME = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$|SECRET|PASSWORD|TOKEN|PRIVATE_KEY/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

const batchNoCredentials: PolicyRule = {
  id: 'IOT-AWS-023',
  severity: 'CRITICAL',
  description: "Batch job definitions pass no credentials or secrets in the container environment (the job role is the container's identity)",
  check(stack) {
    return resourcesOf(stack, 'aws_batch_job_definition').flatMap(([address, definition]) => {
      const props = containerProperties(definition);
      const environment = typeof props === 'string' ? [] : blocks(props.environment);
      return environment
        .filter((v) => CREDENTIAL_NAME.test(String(v.name)) || ACCESS_KEY_ID.test(String(v.value)))
        .map((v) => finding(this, address, `container environment variable ${String(v.name)} carries a credential or secret: use the job role (or Secrets Manager) instead`));
    });
  },
};

export const fleetRules: PolicyRule[] = [ecrCmk, ecrImmutable, ecrScanOnPush, logGroupCmk, logGroupRetention, batchLogs, batchNoCredentials];
