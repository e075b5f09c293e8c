import { Construct } from 'constructs';
import { Catalog } from '@cdktf/provider-databricks/lib/catalog';
import { DataDatabricksCatalog } from '@cdktf/provider-databricks/lib/data-databricks-catalog';
import { DataDatabricksStorageCredential } from '@cdktf/provider-databricks/lib/data-databricks-storage-credential';
import { ExternalLocation } from '@cdktf/provider-databricks/lib/external-location';
import { Grant } from '@cdktf/provider-databricks/lib/grant';
import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { Schema } from '@cdktf/provider-databricks/lib/schema';
import { StorageCredential } from '@cdktf/provider-databricks/lib/storage-credential';
import { Volume } from '@cdktf/provider-databricks/lib/volume';

export interface LakeStorageProps {
  /** Prefix of the Unity Catalog object names this construct creates, e.g. `iot-dev`. */
  readonly namePrefix: string;
  /** `s3://bucket` of the KMS-encrypted lake bucket. */
  readonly bucketUrl: string;
  /** The bucket's CMK: the external location writes with SSE-KMS under it. */
  readonly kmsKeyArn: string;
  /** IAM role Unity Catalog assumes for the bucket (trust: UC master role + self-assume, external id). */
  readonly unityCatalogRoleArn: string;
  /**
   * Use this existing storage credential instead of creating one on `unityCatalogRoleArn`.
   * @default a new credential on unityCatalogRoleArn
   */
  readonly existingStorageCredentialName?: string;
  /** Catalog to hold the schema. */
  readonly catalogName: string;
  /**
   * Create the catalog (managed location on the bucket) rather than use an existing one by name.
   * @default false: an existing catalog, looked up so a typo fails at plan time
   */
  readonly createCatalog?: boolean;
  readonly schemaName: string;
  /** Managed volume for the streaming checkpoints. */
  readonly volumeName: string;
  /** Account group or user that may read the tables and checkpoints (USE, SELECT, READ_VOLUME only). */
  readonly readerPrincipal: string;
}

/**
 * Unity Catalog on the lake bucket: storage credential, external location (SSE-KMS), catalog, schema with its
 * managed location on that external location, a checkpoint volume, and read grants to one principal.
 */
export class LakeStorage extends Construct {
  public readonly storageCredentialName: string;
  public readonly catalogName: string;
  public readonly schemaName: string;
  /** `/Volumes/<catalog>/<schema>/<volume>` */
  public readonly volumePath: string;
  public readonly externalLocation: ExternalLocation;
  /** Undefined when an existing storage credential is used. */
  public readonly storageCredential?: StorageCredential;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const root = props.bucketUrl.replace(/\/+$/, '');

    if (props.existingStorageCredentialName) {
      this.storageCredentialName = new DataDatabricksStorageCredential(this, 'storage-credential', {
        name: props.existingStorageCredentialName,
      }).name;
    } else {
      this.storageCredential = new StorageCredential(this, 'storage-credential', {
        name: `${props.namePrefix}-lake`,
        awsIamRole: { roleArn: props.unityCatalogRoleArn },
        comment: 'Lake bucket access for the IoT pipeline (managed by CDKTF)',
      });
      this.storageCredentialName = this.storageCredential.name;
    }

    this.externalLocation = new ExternalLocation(this, 'lake-location', {
      name: `${props.namePrefix}-lake`,
      url: root,
      credentialName: this.storageCredentialName,
      encryptionDetails: {
        sseEncryptionDetails: { algorithm: 'AWS_SSE_KMS', awsKmsKeyArn: props.kmsKeyArn },
      },
      comment: 'IoT lake bucket (managed by CDKTF)',
    });

    if (props.createCatalog) {
      const catalog = new Catalog(this, 'catalog', {
        name: props.catalogName,
        storageRoot: `${root}/unity-catalog/catalog`,
        comment: 'IoT pipeline (managed by CDKTF)',
        dependsOn: [this.externalLocation],
      });
      this.catalogName = catalog.name;
      // Authoritative: we own this catalog, so its grants are exactly these.
      new Grants(this, 'catalog-grants', {
        catalog: catalog.name,
        grant: [{ principal: props.readerPrincipal, privileges: ['USE_CATALOG'] }],
      });
    } else {
      this.catalogName = new DataDatabricksCatalog(this, 'catalog', { name: props.catalogName }).name;
      // Additive: an existing catalog keeps the grants others gave on it.
      new Grant(this, 'catalog-grant', {
        catalog: this.catalogName,
        principal: props.readerPrincipal,
        privileges: ['USE_CATALOG'],
      });
    }

    const schema = new Schema(this, 'schema', {
      catalogName: this.catalogName,
      name: props.schemaName,
      storageRoot: `${root}/unity-catalog/schemas/${props.schemaName}`,
      comment: 'IoT sensor tables: raw, processed, quarantine (managed by CDKTF)',
      dependsOn: [this.externalLocation],
    });
    this.schemaName = schema.name;

    const volume = new Volume(this, 'checkpoints', {
      catalogName: this.catalogName,
      schemaName: schema.name,
      name: props.volumeName,
      volumeType: 'MANAGED',
      comment: 'Structured Streaming checkpoints, one directory per query (managed by CDKTF)',
    });
    this.volumePath = volume.volumePath;

    new Grants(this, 'schema-grants', {
      schema: schema.id, // catalog.schema
      grant: [{ principal: props.readerPrincipal, privileges: ['USE_SCHEMA', 'SELECT'] }],
    });
    new Grants(this, 'volume-grants', {
      volume: volume.id, // catalog.schema.volume
      grant: [{ principal: props.readerPrincipal, privileges: ['READ_VOLUME'] }],
    });
  }
}
