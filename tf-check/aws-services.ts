/**
 * Which AWS service (endpoint name) each resource type calls, by type prefix, most specific first: the
 * offline copy points exactly these endpoints at the stub, and stand-in ARNs name the right service.
 */
export const SERVICE_ENDPOINTS: ReadonlyArray<[prefix: string, endpoint: string]> = [
  ['aws_batch_', 'batch'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_ecr_', 'ecr'],
  ['aws_iam_', 'iam'],
  ['aws_kinesis_', 'kinesis'],
  ['aws_kms_', 'kms'],
  ['aws_s3_', 's3'],
  ['aws_sns_', 'sns'],
  ['aws_caller_identity', 'sts'],
];

/** Data sources the AWS provider computes locally: they call no endpoint. */
export const LOCAL_DATA_SOURCES = ['aws_iam_policy_document', 'aws_partition'];

/** The service a resource type calls, or undefined when none is known. */
export function serviceOf(type: string): string | undefined {
  return SERVICE_ENDPOINTS.find(([prefix]) => type.startsWith(prefix))?.[1];
}
