import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Catalog } from '@cdktf/provider-databricks/lib/catalog';
import { DataDatabricksCatalog } from '@cdktf/provider-databricks/lib/data-databricks-catalog';
import { ExternalLocation } from '@cdktf/provider-databricks/lib/external-location';
import { Grant } from '@cdktf/provider-databricks/lib/grant';
import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { Schema } from '@cdktf/provider-databricks/lib/schema';
import { Volume } from '@cdktf/provider-databricks/lib/volume';

/** The storage credential the external location uses. */
export interface StorageCredentialRef {
  readonly name: string;
  /** Created by this deployment: the external location waits for it (IAM propagation). */
  readonly ready?: ITerraformDependable;
}

export interface LakeStorageProps {
  /** Prefix of the Unity Catalog object names this construct creates, e.g. `iot-dev`. */
  readonly namePrefix: string;
  /** `s3://bucket` of the KMS-encrypted lake bucket. */
  readonly bucketUrl: string;
  /** The bucket's CMK: the external location writes with SSE-KMS under it. */
  readonly kmsKeyArn: string;
  /** Unity Catalog's access to the bucket. */
  readonly storageCredential: StorageCredentialRef;
  /** Catalog to hold the schema. */
  readonly catalogName: string;
  /**
   * Create the catalog (managed location on the bucket) rather than use an existing one by name.
   * @default false: an existing catalog, looked up so a typo fails at plan time
   */
  readonly createCatalog?: boolean;
  /**
   * Grant the reader USE_CATALOG on an existing catalog (needs ownership of it or MANAGE on it).
   * @default false: the catalog's owner grants it
   */
  readonly grantCatalogUse?: boolean;
  readonly schemaName: string;
  /** Managed volume for the streaming checkpoints. */
  readonly volumeName: string;
  /** Account group or user that may read the tables and checkpoints (USE, SELECT, READ_VOLUME only). */
  readonly readerPrincipal: string;
  /**
   * Let a destroy drop the schema (and a catalog created here) with the tables the job wrote into it, and
   * the external location whatever still depends on it.
   * @default false: a destroy stops at a schema that still holds tables, so data is never dropped by accident
   */
  readonly forceDestroy?: boolean;
}

/**
 * Unity Catalog on the lake bucket: external location (SSE-KMS) through the storage credential, catalog,
 * schema with its managed location on that external location, a checkpoint volume, and read grants to one
 * principal.
 */
export class LakeStorage extends Construct {
  public readonly catalogName: string;
  public readonly schemaName: string;
  /** `/Volumes/<catalog>/<schema>/<volume>` */
  public readonly volumePath: string;
  public readonly externalLocation: ExternalLocation;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const root = props.bucketUrl.replace(/\/+$/, '');
    const forceDestroy = props.forceDestroy ?? false;

    this.externalLocation = new ExternalLocation(this, 'lake-location', {
      name: `${props.namePrefix}-lake`,
      url: root,
      credentialName: props.storageCredential.name,
      encryptionDetails: {
        sseEncryptionDetails: { algorithm: 'AWS_SSE_KMS', awsKmsKeyArn: props.kmsKeyArn },
      },
      comment: 'IoT lake bucket (managed by CDKTF)',
      // With the schema gone, tables Unity Catalog still keeps for UNDROP must not block a dev teardown.
      forceDestroy,
      // Created (and validated by Databricks) only once the credential's role can be assumed.
      ...(props.storageCredential.ready ? { dependsOn: [props.storageCredential.ready] } : {}),
    });

    if (props.createCatalog) {
      const catalog = new Catalog(this, 'catalog', {
        name: props.catalogName,
        storageRoot: `${root}/unity-catalog/catalog`,
        comment: 'IoT pipeline (managed by CDKTF)',
        forceDestroy,
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
      if (props.grantCatalogUse) {
        // Additive: an existing catalog keeps the grants others gave on it.
        new Grant(this, 'catalog-grant', {
          catalog: this.catalogName,
          principal: props.readerPrincipal,
          privileges: ['USE_CATALOG'],
        });
      }
    }

    const schema = new Schema(this, 'schema', {
      catalogName: this.catalogName,
      name: props.schemaName,
      storageRoot: `${root}/unity-catalog/schemas/${props.schemaName}`,
      comment: 'IoT sensor tables: raw, processed, quarantine (managed by CDKTF)',
      // The notebook creates its three tables here, outside Terraform: without this a destroy stops on
      // "schema not empty"; with it, the destroy drops them.
      forceDestroy,
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
