import { ANALYSIS_QUERIES, inlineTableName, readSql } from './analysis-sql';

/** Where the dashboard's datasets read from. */
export interface DashboardTable {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
}

interface ChartSpec {
  readonly dataset: string;
  readonly widgetType: 'line' | 'bar';
  readonly title: string;
  readonly x: { readonly field: string; readonly scale: 'temporal' | 'categorical'; readonly label: string };
  readonly y: { readonly field: string; readonly label: string };
}

// Each chart plots two output columns of one analysis query (a test checks they are the query's aliases).
export const DASHBOARD_CHARTS: readonly ChartSpec[] = [
  {
    dataset: 'fleet_temperature_trend',
    widgetType: 'line',
    title: 'Fleet temperature per minute, last hour',
    x: { field: 'minute_start', scale: 'temporal', label: 'Minute' },
    y: { field: 'avg_temperature_c', label: 'Average temperature (°C)' },
  },
  {
    dataset: 'critical_events_by_device',
    widgetType: 'bar',
    title: 'Critical events per device, last 24 hours',
    x: { field: 'device_id', scale: 'categorical', label: 'Device' },
    y: { field: 'critical_events', label: 'Critical events' },
  },
];

/**
 * The Lakeview `serialized_dashboard` document: one dataset per analysis query (the same SQL files as the
 * saved queries, with the table name inlined) and one page charting both.
 */
export function fleetDashboardJson(source: DashboardTable): string {
  const datasets = ANALYSIS_QUERIES.map((q) => ({
    name: q.key,
    displayName: q.title,
    queryLines: inlineTableName(readSql(q.file), source.catalog, source.schema, source.table)
      .split('\n')
      // The files' comments describe the parameters this inlined copy no longer has.
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('--'))
      .map((line) => `${line}\n`),
  }));
  const layout = DASHBOARD_CHARTS.map((chart, i) => ({
    widget: {
      name: `${chart.dataset}_chart`,
      queries: [
        {
          name: 'main_query',
          query: {
            datasetName: chart.dataset,
            fields: [chart.x.field, chart.y.field].map((field) => ({ name: field, expression: `\`${field}\`` })),
            // The SQL already aggregates: plot its rows as they are.
            disaggregated: true,
          },
        },
      ],
      spec: {
        version: 3,
        widgetType: chart.widgetType,
        encodings: {
          x: { fieldName: chart.x.field, scale: { type: chart.x.scale }, displayName: chart.x.label },
          y: { fieldName: chart.y.field, scale: { type: 'quantitative' }, displayName: chart.y.label },
        },
        frame: { title: chart.title, showTitle: true },
      },
    },
    position: { x: 0, y: i * 8, width: 6, height: 8 },
  }));
  return JSON.stringify({
    datasets,
    pages: [{ name: 'fleet', displayName: 'IoT fleet', layout }],
  });
}
