/**
 * IAM actions that take no resource ARN: the Service Authorization Reference lists no resource type for them, so
 * "*" is their only valid Resource, and no condition key narrows them (cloudwatch:namespace applies to
 * PutMetricData only). A statement that allows only these actions on "*" is as narrow as IAM allows, so policy
 * rule IOT-AWS-010 exempts exactly such a statement; any other action on "*" is still a finding. Add to this list
 * only an action AWS documents that way, with the reason here.
 *   cloudwatch:GetMetricData   read the stream's Kinesis metrics (loadgen run --watch-consumer)
 *   ecr:GetAuthorizationToken  log in to the registry (the load fleet's execution role); it opens only the
 *                              repositories whose pull actions the principal also has, each scoped to its ARN
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = ['cloudwatch:GetMetricData', 'ecr:GetAuthorizationToken'];
