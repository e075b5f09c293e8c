import { resourcesOf } from '../terraform-json';
import { finding, type PolicyRule } from '../types';

// Encryption at rest: keys, the stream and the alarm topic.

const kmsRotation: PolicyRule = {
  id: 'IOT-AWS-001',
  severity: 'HIGH',
  description: 'Customer-managed KMS keys rotate automatically',
  checkov: 'CKV_AWS_7',
  check(stack) {
    return resourcesOf(stack, 'aws_kms_key')
      .filter(([, key]) => key.enable_key_rotation !== true)
      .map(([address]) => finding(this, address, 'key rotation is off: set enable_key_rotation = true'));
  },
};

const kinesisCmk: PolicyRule = {
  id: 'IOT-AWS-002',
  severity: 'HIGH',
  description: 'Kinesis streams are encrypted with a customer-managed KMS key',
  checkov: 'CKV_AWS_185',
  trivy: 'AVD-AWS-0064',
  check(stack) {
    return resourcesOf(stack, 'aws_kinesis_stream').flatMap(([address, stream]) => {
      if (stream.encryption_type !== 'KMS') return [finding(this, address, `stream is not encrypted (encryption_type ${JSON.stringify(stream.encryption_type ?? 'NONE')})`)];
      const key = String(stream.kms_key_id ?? '');
      if (!key || key === 'alias/aws/kinesis') return [finding(this, address, `stream uses the AWS-managed key, not a CMK (kms_key_id ${JSON.stringify(key || null)})`)];
      return [];
    });
  },
};

const snsCmk: PolicyRule = {
  id: 'IOT-AWS-013',
  severity: 'MEDIUM',
  description: 'SNS topics are encrypted with a customer-managed KMS key',
  check(stack) {
    return resourcesOf(stack, 'aws_sns_topic').flatMap(([address, topic]) => {
      const key = String(topic.kms_master_key_id ?? '');
      if (!key) return [finding(this, address, 'topic is not encrypted (no kms_master_key_id)')];
      // CloudWatch alarms cannot publish to a topic under the AWS-managed key: its key policy cannot be changed.
      if (key === 'alias/aws/sns') return [finding(this, address, 'topic uses the AWS-managed key alias/aws/sns, not a CMK')];
      return [];
    });
  },
};

export const kmsKinesisRules: PolicyRule[] = [kmsRotation, kinesisCmk, snsCmk];
