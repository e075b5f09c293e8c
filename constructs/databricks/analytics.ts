import { Construct } from 'constructs';
import { Dashboard } from '@cdktf/provider-databricks/lib/dashboard';
import { DataDatabricksSqlWarehouse } from '@cdktf/provider-databricks/lib/data-databricks-sql-warehouse';
import { Directory } from '@cdktf/provider-databricks/lib/directory';
import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import { Query } from '@cdktf/provider-databricks/lib/query';
import { SqlEndpoint } from '@cdktf/provider-databricks/lib/sql-endpoint';
import { ANALYSIS_QUERIES, parameterMarkers, readSql } from './analysis-sql';
import { fleetDashboardJson } from './lakeview-dashboard';
import { accessControlFor } from './reader-access';

export interface FleetAnalyticsProps {
  /** Workspace folder for the saved queries and the dashboard (created). */
  readonly folder: string;
  readonly namePrefix: string;
  readonly catalog: string;
  readonly schema: string;
  readonly processedTable: string;
  /**
   * Run on this existing SQL warehouse.
   * @default a new small serverless warehouse that stops after `autoStopMins`
   */
  readonly existingWarehouseId?: string;
  /** Size of the created warehouse. */
  readonly warehouseSize: string;
  readonly autoStopMins: number;
  /**
   * Account group or user that may use the warehouse (CAN_USE) and run the queries and the dashboard
   * (CAN_RUN). An existing warehouse's permissions are left to its owner: `databricks_permissions` would
   * replace them all.
   */
  readonly readerPrincipal: string;
}

/** The two analysis queries as saved `databricks_query` objects and a Lakeview dashboard charting both. */
export class FleetAnalytics extends Construct {
  public readonly warehouseId: string;
  public readonly dashboard: Dashboard;
  public readonly queries: Query[];

  constructor(scope: Construct, id: string, props: FleetAnalyticsProps) {
    super(scope, id);
    // Queries run as the viewer, who needs CAN_USE on the warehouse besides CAN_RUN on the query.
    const grant = (construct: string, on: { sqlEndpointId: string } | { sqlQueryId: string } | { dashboardId: string }, level: string) =>
      new Permissions(this, construct, { ...on, accessControl: [accessControlFor(props.readerPrincipal, level)] });
    if (props.existingWarehouseId) {
      this.warehouseId = new DataDatabricksSqlWarehouse(this, 'warehouse', { id: props.existingWarehouseId }).id;
    } else {
      this.warehouseId = new SqlEndpoint(this, 'warehouse', {
        name: `${props.namePrefix}-analytics`,
        clusterSize: props.warehouseSize,
        warehouseType: 'PRO',
        enableServerlessCompute: true,
        minNumClusters: 1,
        maxNumClusters: 1,
        autoStopMins: props.autoStopMins,
      }).id;
      grant('warehouse-permissions', { sqlEndpointId: this.warehouseId }, 'CAN_USE');
    }

    const folder = new Directory(this, 'folder', { path: props.folder });
    // Defaults for the SQL files' named parameters; a viewer can change them in the SQL editor.
    const defaults: Record<string, string> = {
      catalog: props.catalog,
      schema: props.schema,
      processed_table: props.processedTable,
    };

    this.queries = ANALYSIS_QUERIES.map((q) => {
      const sql = readSql(q.file);
      return new Query(this, q.key, {
        displayName: q.title,
        warehouseId: this.warehouseId,
        parentPath: folder.path,
        queryText: sql,
        // Viewers run the query with their own Unity Catalog privileges.
        runAsMode: 'VIEWER',
        parameter: parameterMarkers(sql).map((name) => {
          const value = defaults[name];
          if (value === undefined) throw new Error(`${q.file} uses parameter :${name}, which has no default`);
          return { name, title: name, textValue: { value } };
        }),
      });
    });
    this.queries.forEach((query, i) => grant(`${ANALYSIS_QUERIES[i].key}-permissions`, { sqlQueryId: query.id }, 'CAN_RUN'));

    this.dashboard = new Dashboard(this, 'dashboard', {
      displayName: `${props.namePrefix} IoT fleet`,
      warehouseId: this.warehouseId,
      parentPath: folder.path,
      serializedDashboard: fleetDashboardJson({ catalog: props.catalog, schema: props.schema, table: props.processedTable }),
      // Viewers query with their own credentials, not the publisher's.
      embedCredentials: false,
    });
    grant('dashboard-permissions', { dashboardId: this.dashboard.id }, 'CAN_RUN');
  }
}
