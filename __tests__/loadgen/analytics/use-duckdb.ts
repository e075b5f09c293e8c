import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** An in-memory DuckDB for the tests of a describe block, with these statements run first; `db()` is its connection. */
export function useDuckDb(setup: readonly string[] = []): { db: () => DuckDBConnection } {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    for (const sql of setup) await connection.run(sql);
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return { db: () => connection! };
}
