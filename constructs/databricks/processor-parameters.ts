/**
 * The processor notebook's widgets, as job base parameters (strings, read with dbutils.widgets.get).
 * A contract test compares these names with the widgets notebooks/iot_stream_processor.py declares.
 */
export type KinesisAuthMode = 'instance_profile' | 'service_credential';

export interface ProcessorSettings {
  readonly streamName: string;
  readonly region: string;
  /** instance_profile on a dedicated cluster; service_credential on a standard (shared) one. */
  readonly authMode: KinesisAuthMode;
  /** Required when authMode is service_credential. */
  readonly serviceCredentialName?: string;
  readonly initialPosition: 'latest' | 'trim_horizon';
  readonly consumerMode: 'polling' | 'efo';
  readonly maxRecordsPerFetch: number;
  readonly catalog: string;
  readonly schema: string;
  readonly tables: { readonly raw: string; readonly processed: string; readonly quarantine: string };
  /** A directory in the checkpoint volume; each query writes its own subdirectory. */
  readonly checkpointBase: string;
  /** `availableNow` or an interval such as `10 seconds`. */
  readonly trigger: string;
  readonly watermarkDelay: string;
  readonly thresholds: {
    /** temperature: strictly above criticalTemperatureC (the PoC's rule); temperature_or_status: or status CRITICAL. */
    readonly criticalRule: 'temperature' | 'temperature_or_status';
    readonly criticalTemperatureC: number;
    readonly temperatureMinC: number;
    readonly temperatureMaxC: number;
    readonly pressureMinHpa: number;
    readonly pressureMaxHpa: number;
  };
}

export function processorNotebookParameters(s: ProcessorSettings): Record<string, string> {
  if (s.authMode === 'service_credential' && !s.serviceCredentialName) {
    throw new Error('serviceCredentialName is required when authMode is service_credential');
  }
  return {
    stream_name: s.streamName,
    region: s.region,
    auth_mode: s.authMode,
    service_credential: s.authMode === 'service_credential' ? s.serviceCredentialName! : '',
    // The job authenticates by instance profile or service credential, never by an assumed role ARN.
    role_arn: '',
    initial_position: s.initialPosition,
    consumer_mode: s.consumerMode,
    max_records_per_fetch: String(s.maxRecordsPerFetch),
    catalog: s.catalog,
    schema: s.schema,
    raw_table: s.tables.raw,
    processed_table: s.tables.processed,
    quarantine_table: s.tables.quarantine,
    checkpoint_base: s.checkpointBase,
    trigger: s.trigger,
    watermark_delay: s.watermarkDelay,
    critical_rule: s.thresholds.criticalRule,
    critical_temperature_c: String(s.thresholds.criticalTemperatureC),
    temperature_min_c: String(s.thresholds.temperatureMinC),
    temperature_max_c: String(s.thresholds.temperatureMaxC),
    pressure_min_hpa: String(s.thresholds.pressureMinHpa),
    pressure_max_hpa: String(s.thresholds.pressureMaxHpa),
  };
}
