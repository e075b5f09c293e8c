import { extractIamStatements } from '../iam-statements';
import { attachedTo, blocks, resourcesOf } from '../terraform-json';
import { finding, type PolicyRule } from '../types';

const buckets = (stack: Parameters<PolicyRule['check']>[0]) => resourcesOf(stack, 'aws_s3_bucket');

const publicAccessBlock: PolicyRule = {
  id: 'IOT-AWS-003',
  severity: 'CRITICAL',
  description: 'S3 buckets block all four kinds of public access',
  checkov: 'CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56',
  check(stack) {
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    return buckets(stack).flatMap(([address]) => {
      const pabs = attachedTo(stack, 'aws_s3_bucket_public_access_block', address);
      if (!pabs.length) return [finding(this, address, 'bucket has no aws_s3_bucket_public_access_block')];
      const off = flags.filter((f) => !pabs.some(([, pab]) => pab[f] === true));
      return off.length ? [finding(this, address, `public access block leaves ${off.join(', ')} off`)] : [];
    });
  },
};

const sseKms: PolicyRule = {
  id: 'IOT-AWS-004',
  severity: 'HIGH',
  description: 'S3 buckets encrypt by default with SSE-KMS under a customer-managed key',
  checkov: 'CKV_AWS_145',
  trivy: 'AVD-AWS-0132',
  check(stack) {
    return buckets(stack).flatMap(([address]) => {
      const rules = attachedTo(stack, 'aws_s3_bucket_server_side_encryption_configuration', address).flatMap(([, c]) => blocks(c.rule));
      const ok = rules.some((r) =>
        blocks(r.apply_server_side_encryption_by_default).some((d) => String(d.sse_algorithm).startsWith('aws:kms') && Boolean(d.kms_master_key_id)),
      );
      return ok ? [] : [finding(this, address, 'bucket has no default SSE-KMS encryption with a CMK (kms_master_key_id)')];
    });
  },
};

const versioning: PolicyRule = {
  id: 'IOT-AWS-005',
  severity: 'MEDIUM',
  description: 'S3 buckets keep object versions',
  checkov: 'CKV_AWS_21',
  check(stack) {
    return buckets(stack).flatMap(([address]) => {
      const enabled = attachedTo(stack, 'aws_s3_bucket_versioning', address).some(([, v]) =>
        blocks(v.versioning_configuration).some((c) => c.status === 'Enabled'),
      );
      return enabled ? [] : [finding(this, address, 'bucket versioning is not Enabled')];
    });
  },
};

const abortMultipart: PolicyRule = {
  id: 'IOT-AWS-006',
  severity: 'LOW',
  description: 'S3 buckets abort incomplete multipart uploads within 7 days',
  checkov: 'CKV_AWS_300',
  check(stack) {
    return buckets(stack).flatMap(([address]) => {
      const days = attachedTo(stack, 'aws_s3_bucket_lifecycle_configuration', address)
        .flatMap(([, lc]) => blocks(lc.rule))
        .filter((r) => r.status === 'Enabled')
        .flatMap((r) => blocks(r.abort_incomplete_multipart_upload).map((a) => Number(a.days_after_initiation)));
      return days.some((d) => d >= 1 && d <= 7) ? [] : [finding(this, address, 'no enabled lifecycle rule aborts incomplete multipart uploads within 7 days')];
    });
  },
};

const tlsOnly: PolicyRule = {
  id: 'IOT-AWS-007',
  severity: 'HIGH',
  description: 'S3 bucket policies deny requests without TLS (aws:SecureTransport = false) on the bucket and its objects',
  check(stack) {
    const statements = extractIamStatements(stack).filter((s) => s.documentRole === 'bucket');
    return buckets(stack).flatMap(([address]) => {
      const policies = attachedTo(stack, 'aws_s3_bucket_policy', address).map(([policyAddress]) => policyAddress);
      const denies = statements.filter(
        (s) =>
          s.usedBy.some((u) => policies.includes(u)) &&
          s.effect === 'Deny' &&
          s.actions.some((a) => a === 's3:*' || a === '*') &&
          s.principals.some((p) => p.identifiers.includes('*')) &&
          s.conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.includes('false')),
      );
      const resources = denies.flatMap((s) => s.resources);
      const bucketArn = `\${${address}.arn}`;
      const covered = resources.includes(bucketArn) && resources.includes(`${bucketArn}/*`);
      return covered ? [] : [finding(this, address, 'no bucket policy denies s3:* when aws:SecureTransport is false on both the bucket and bucket/*')];
    });
  },
};

const ownerEnforced: PolicyRule = {
  id: 'IOT-AWS-008',
  severity: 'MEDIUM',
  description: 'S3 buckets disable ACLs (object ownership BucketOwnerEnforced)',
  check(stack) {
    return buckets(stack).flatMap(([address]) => {
      const enforced = attachedTo(stack, 'aws_s3_bucket_ownership_controls', address).some(([, oc]) =>
        blocks(oc.rule).some((r) => r.object_ownership === 'BucketOwnerEnforced'),
      );
      return enforced ? [] : [finding(this, address, 'object ownership is not BucketOwnerEnforced (ACLs stay active)')];
    });
  },
};

export const s3Rules: PolicyRule[] = [publicAccessBlock, sseKms, versioning, abortMultipart, tlsOnly, ownerEnforced];
