import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { CustomerManagedKey } from './kms-key';
import type { IGrantable } from './policy-document';

/** What pulling an image from one repository takes, on that repository's ARN. */
export const PULL_OPERATIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
/**
 * Logging in to the registry. AWS offers no resource-level permission for it, so it is the one action
 * granted on `*` (the policy rules accept `*` for it alone); the token only opens repositories whose pull
 * actions the principal also has.
 */
export const REGISTRY_LOGIN_OPERATIONS = ['ecr:GetAuthorizationToken'];

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export interface ContainerRepositoryProps {
  /** Repository name, 2-256 of lowercase letters, digits and `._-/`. */
  readonly repositoryName: string;
  /** Encrypts the images at rest (ECR uses a KMS grant it creates on the key; pullers need no key rights). */
  readonly encryptionKey: CustomerManagedKey;
  /**
   * Let `terraform destroy` delete the repository while it still holds images.
   * @default false (a destroy cannot silently delete images a job definition runs)
   */
  readonly forceDelete?: boolean;
  /**
   * Images kept; older ones expire (by push time), bounding storage cost.
   * @default 30
   */
  readonly keepImages?: number;
}

/**
 * A private ECR repository with secure defaults: immutable tags (a tag names one image forever, so a job
 * definition always runs what was reviewed), a vulnerability scan of every pushed image, KMS encryption with
 * a customer-managed key, and a lifecycle rule keeping the newest `keepImages` images.
 */
export class ContainerRepository extends Construct {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: append `:<tag>` for an image. */
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? 30;
    if (!Token.isUnresolved(props.repositoryName) && (!REPOSITORY_NAME.test(props.repositoryName) || props.repositoryName.length < 2 || props.repositoryName.length > 256)) {
      throw new Error(`repositoryName must be 2-256 of lowercase letters, digits and ._-/ (no separator first, last or twice). Received ${JSON.stringify(props.repositoryName)}`);
    }
    if (!Number.isInteger(keepImages) || keepImages < 1) {
      throw new Error(`keepImages must be an integer >= 1. Received ${keepImages}`);
    }
    const repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.encryptionKey.keyArn }],
      forceDelete: props.forceDelete ?? false,
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repository.name,
      // Not an IAM policy: ECR's lifecycle rule grammar.
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `keep the newest ${keepImages} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    this.repositoryName = repository.name;
    this.repositoryArn = repository.arn;
    this.repositoryUrl = repository.repositoryUrl;
  }

  /** Pull images of this repository (and log in to the registry, which has no narrower scope). */
  grantPull(grantee: IGrantable): void {
    grantee.addToPolicy({ sid: 'RepositoryPull', actions: PULL_OPERATIONS, resources: [this.repositoryArn] });
    grantee.addToPolicy({ sid: 'RegistryLogin', actions: REGISTRY_LOGIN_OPERATIONS, resources: ['*'] });
  }
}
