import { ANALYSIS_QUERIES, readSql } from '../../constructs/databricks/analysis-sql';
import { DASHBOARD_CHARTS, fleetDashboardJson } from '../../constructs/databricks/lakeview-dashboard';

interface Dataset { name: string; queryLines: string[] }
interface LayoutItem {
  widget: {
    queries: { query: { datasetName: string; fields: { name: string }[] } }[];
    spec: { widgetType: string; encodings: Record<string, { fieldName: string }> };
  };
}

// The output columns a query names with AS.
const aliases = (sql: string) => [...sql.matchAll(/\bAS\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1]);

describe('Lakeview dashboard document', () => {
  const doc = JSON.parse(fleetDashboardJson({ catalog: 'main', schema: 'iot_dev', table: 'iot_sensor_processed' })) as {
    datasets: Dataset[];
    pages: { layout: LayoutItem[] }[];
  };

  it('has one dataset per analysis query, reading the configured table', () => {
    expect(doc.datasets.map((d) => d.name)).toEqual(ANALYSIS_QUERIES.map((q) => q.key));
    for (const d of doc.datasets) {
      const sql = d.queryLines.join('');
      expect(sql).toContain('FROM `main`.`iot_dev`.`iot_sensor_processed`');
      expect(sql).not.toMatch(/:[a-z_]+/);
    }
  });

  it('charts both queries with fields each query outputs', () => {
    const layout = doc.pages[0].layout;
    expect(layout.map((l) => l.widget.spec.widgetType)).toEqual(['line', 'bar']);
    for (const item of layout) {
      const query = item.widget.queries[0].query;
      const file = ANALYSIS_QUERIES.find((q) => q.key === query.datasetName)!.file;
      const outputs = [...aliases(readSql(file)), 'device_id'];
      for (const f of query.fields) expect(outputs).toContain(f.name);
      const encoded = Object.values(item.widget.spec.encodings).map((e) => e.fieldName);
      expect(encoded.sort()).toEqual(query.fields.map((f) => f.name).sort());
    }
    expect(DASHBOARD_CHARTS.map((c) => c.dataset).sort()).toEqual(ANALYSIS_QUERIES.map((q) => q.key).sort());
  });
});
