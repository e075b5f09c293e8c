-- Creates the pipeline's schema and checkpoint volume by hand, for a workspace that is not managed by
-- `cdktf deploy iot-databricks-<stage>` (the stack creates both, with the schema's managed location on the lake
-- bucket's external location). The processor notebook creates its tables on first run.
-- Named parameters: :catalog, :schema (for example main, iot_dev).
CREATE SCHEMA IF NOT EXISTS IDENTIFIER(:catalog || '.' || :schema)
  COMMENT 'IoT sensor pipeline: raw, processed and quarantine tables';

CREATE VOLUME IF NOT EXISTS IDENTIFIER(:catalog || '.' || :schema || '.checkpoints')
  COMMENT 'Structured Streaming checkpoints, one directory per query';
