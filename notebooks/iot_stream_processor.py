# Databricks notebook source
# MAGIC %md
# MAGIC # IoT stream processor
# MAGIC
# MAGIC Reads the sensor stream from Amazon Kinesis and writes three Delta tables in Unity Catalog:
# MAGIC
# MAGIC * **raw**: every Kinesis column, the payload as text and the ingest time (one Kinesis reader for all);
# MAGIC * **processed**: parsed with the record contract's schema, flattened, flagged, retried writes removed;
# MAGIC * **quarantine**: payloads that do not parse or lack a required field, with the reason.
# MAGIC
# MAGIC Configured only through widgets: the `iot-databricks-<stage>` job passes every one of them.
# MAGIC Each query keeps its own checkpoint under `checkpoint_base` (a Unity Catalog volume).

# COMMAND ----------

# Pure helpers: no Spark, no dbutils. Plain python3 runs this cell: __tests__/databricks/notebook-contract.test.ts,
# and `loadgen analytics`, which takes its flag and quarantine SQL from here (loadgen/analytics/notebook-rules.ts).
import re

# Every widget and its default; the job passes exactly these names as base parameters.
WIDGET_DEFAULTS = {
    "stream_name": "",
    "region": "",
    "auth_mode": "instance_profile",
    "service_credential": "",
    "role_arn": "",
    "initial_position": "trim_horizon",
    "consumer_mode": "polling",
    "max_records_per_fetch": "10000",
    "catalog": "",
    "schema": "",
    "raw_table": "iot_sensor_raw",
    "processed_table": "iot_sensor_processed",
    "quarantine_table": "iot_sensor_quarantine",
    "checkpoint_base": "",
    "trigger": "10 seconds",
    "watermark_delay": "10 minutes",
    # The proof of concept's rule: a reading is critical when strictly above 28.0 C, whatever its status.
    "critical_rule": "temperature",
    "critical_temperature_c": "28.0",
    "temperature_min_c": "-10",
    "temperature_max_c": "45",
    "pressure_min_hpa": "950",
    "pressure_max_hpa": "1050",
}

AUTH_MODES = ("instance_profile", "service_credential", "role_arn")
INITIAL_POSITIONS = ("latest", "trim_horizon")
CONSUMER_MODES = ("polling", "efo")
# temperature: temperature_c > critical_temperature_c (the PoC's rule); temperature_or_status: a reading whose
# device reports CRITICAL is critical too (a deviation from the PoC, for fleets whose devices self-diagnose).
CRITICAL_RULES = ("temperature", "temperature_or_status")
FLAG_WIDGETS = ("critical_rule", "critical_temperature_c", "temperature_min_c", "temperature_max_c",
                "pressure_min_hpa", "pressure_max_hpa")
SENSOR_STATUSES = ("HEALTHY", "WARNING", "CRITICAL")

# Contract fields a record must carry (contract/sensor-record.ts, `required: true`).
REQUIRED_FIELDS = ("device_id", "timestamp", "metrics.temperature_c", "status", "seq", "run_id")
# Retried PutRecords calls write the same reading twice: this key identifies a reading.
DEDUP_KEY = ("run_id", "device_id", "seq")

RAW_COLUMNS = (
    ("partition_key", "STRING"),
    ("data", "BINARY"),
    ("stream_name", "STRING"),
    ("shard_id", "STRING"),
    ("sequence_number", "STRING"),
    ("approximate_arrival_timestamp", "TIMESTAMP"),
    ("payload", "STRING"),
    ("ingest_timestamp", "TIMESTAMP"),
)
PROCESSED_COLUMNS = (
    ("run_id", "STRING"),
    ("device_id", "STRING"),
    ("seq", "BIGINT"),
    ("event_timestamp", "TIMESTAMP"),
    ("timestamp_ms", "BIGINT"),
    ("temperature_c", "DOUBLE"),
    ("pressure_hpa", "DOUBLE"),
    ("humidity_percent", "DOUBLE"),
    ("status", "STRING"),
    ("region", "STRING"),
    ("is_critical", "BOOLEAN"),
    ("is_anomaly", "BOOLEAN"),
    ("shard_id", "STRING"),
    ("sequence_number", "STRING"),
    ("approximate_arrival_timestamp", "TIMESTAMP"),
    ("ingest_timestamp", "TIMESTAMP"),
)
QUARANTINE_COLUMNS = (
    ("payload", "STRING"),
    ("reason", "STRING"),
    ("partition_key", "STRING"),
    ("shard_id", "STRING"),
    ("sequence_number", "STRING"),
    ("approximate_arrival_timestamp", "TIMESTAMP"),
    ("ingest_timestamp", "TIMESTAMP"),
)
# Liquid clustering keys: the columns the SQL analytics filter and group by.
CLUSTER_BY = {
    "raw": ("ingest_timestamp",),
    "processed": ("event_timestamp", "device_id"),
    "quarantine": ("ingest_timestamp",),
}

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$")
_INTERVAL = re.compile(r"^[1-9][0-9]* (second|seconds|minute|minutes|hour|hours)$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")


class SettingsError(ValueError):
    """One line naming the widget, the value received and what is allowed."""


def _fail(name, value, allowed):
    raise SettingsError(f"widget {name} must be {allowed}, got {value!r}")


def _choice(raw, name, allowed):
    value = raw.get(name, "").strip()
    if value not in allowed:
        _fail(name, value, " | ".join(allowed))
    return value


def _matching(raw, name, pattern, allowed):
    value = raw.get(name, "").strip()
    if not pattern.match(value):
        _fail(name, value, allowed)
    return value


def _number(raw, name):
    value = raw.get(name, "").strip()
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        _fail(name, value, "a finite number")
    return number


def parse_settings(raw):
    """Validates the widget values (all strings) into typed settings; raises SettingsError on the first problem."""
    unknown = sorted(set(raw) - set(WIDGET_DEFAULTS))
    if unknown:
        raise SettingsError(f"unknown widgets {unknown}; allowed: {sorted(WIDGET_DEFAULTS)}")
    s = {
        "stream_name": _matching(raw, "stream_name", re.compile(r"^[A-Za-z0-9_.-]{1,128}$"), "a Kinesis stream name"),
        "region": _matching(raw, "region", _REGION, "an AWS region such as us-east-1"),
        "auth_mode": _choice(raw, "auth_mode", AUTH_MODES),
        "service_credential": raw.get("service_credential", "").strip(),
        "role_arn": raw.get("role_arn", "").strip(),
        "initial_position": _choice(raw, "initial_position", INITIAL_POSITIONS),
        "consumer_mode": _choice(raw, "consumer_mode", CONSUMER_MODES),
        "catalog": _matching(raw, "catalog", _NAME, "a Unity Catalog name"),
        "schema": _matching(raw, "schema", _NAME, "a Unity Catalog name"),
        "raw_table": _matching(raw, "raw_table", _NAME, "a table name"),
        "processed_table": _matching(raw, "processed_table", _NAME, "a table name"),
        "quarantine_table": _matching(raw, "quarantine_table", _NAME, "a table name"),
        "checkpoint_base": _matching(
            raw, "checkpoint_base", re.compile(r"^/Volumes/[^/]+/[^/]+/[^/]+(/[^/]+)*$"), "a path under /Volumes/<catalog>/<schema>/<volume>"
        ),
        "trigger": raw.get("trigger", "").strip(),
        "watermark_delay": _matching(raw, "watermark_delay", _INTERVAL, "an interval such as '10 minutes'"),
    }
    fetch = raw.get("max_records_per_fetch", "").strip()
    if not fetch.isdigit() or not 1 <= int(fetch) <= 10000:
        _fail("max_records_per_fetch", fetch, "an integer from 1 to 10000 (the GetRecords limit)")
    s["max_records_per_fetch"] = int(fetch)
    if s["trigger"] != "availableNow" and not _INTERVAL.match(s["trigger"]):
        _fail("trigger", s["trigger"], "'availableNow' or an interval such as '10 seconds'")
    if s["auth_mode"] == "service_credential" and not _NAME.match(s["service_credential"]):
        _fail("service_credential", s["service_credential"], "a service credential name when auth_mode is service_credential")
    if s["auth_mode"] == "role_arn" and not _ROLE_ARN.match(s["role_arn"]):
        _fail("role_arn", s["role_arn"], "an IAM role ARN when auth_mode is role_arn")
    s.update(parse_flag_settings(raw))
    return s


def parse_flag_settings(raw):
    """Validates the widgets flag_sql reads (FLAG_WIDGETS); the rest of raw is ignored."""
    s = {"critical_rule": _choice(raw, "critical_rule", CRITICAL_RULES)}
    for name in FLAG_WIDGETS[1:]:
        s[name] = _number(raw, name)
    if s["temperature_min_c"] >= s["temperature_max_c"]:
        _fail("temperature_min_c", raw["temperature_min_c"], f"below temperature_max_c ({raw['temperature_max_c']})")
    if s["pressure_min_hpa"] >= s["pressure_max_hpa"]:
        _fail("pressure_min_hpa", raw["pressure_min_hpa"], f"below pressure_max_hpa ({raw['pressure_max_hpa']})")
    return s


def kinesis_options(s):
    """Options for spark.readStream.format("kinesis"): only names the Databricks connector documents."""
    options = {
        "streamName": s["stream_name"],
        "region": s["region"],
        "initialPosition": s["initial_position"],
        "consumerMode": s["consumer_mode"],
        "maxRecordsPerFetch": str(s["max_records_per_fetch"]),
    }
    if s["auth_mode"] == "service_credential":
        options["serviceCredential"] = s["service_credential"]
    elif s["auth_mode"] == "role_arn":
        options["roleArn"] = s["role_arn"]
    # instance_profile: the connector uses the cluster's instance profile when no credential option is set.
    return options


def trigger_kwargs(trigger):
    """Keyword arguments for DataStreamWriter.trigger()."""
    return {"availableNow": True} if trigger == "availableNow" else {"processingTime": trigger}


def checkpoint_location(base, query_name):
    """One checkpoint directory per query; never shared, never inside a table's directory."""
    return f"{base.rstrip('/')}/{query_name}"


def quote(name):
    return "`" + name.replace("`", "``") + "`"


def table_name(s, key):
    return ".".join(quote(part) for part in (s["catalog"], s["schema"], s[f"{key}_table"]))


def create_table_sql(full_name, columns, cluster_by):
    cols = ", ".join(f"{quote(c)} {t}" for c, t in columns)
    keys = ", ".join(quote(c) for c in cluster_by)
    return f"CREATE TABLE IF NOT EXISTS {full_name} ({cols}) CLUSTER BY ({keys})"


def quarantine_checks():
    """(reason, SQL condition) pairs over `payload` and the parsed `record`, first match wins."""
    checks = [
        ("empty payload", "payload IS NULL OR trim(payload) = ''"),
        ("not valid JSON", "try_parse_json(payload) IS NULL"),
        ("not a JSON object matching the contract", "record IS NULL"),
    ]
    checks += [(f"missing or mistyped {path}", f"record.{path} IS NULL") for path in REQUIRED_FIELDS]
    statuses = ", ".join(f"'{status}'" for status in SENSOR_STATUSES)
    checks.append(("unknown status", f"record.status NOT IN ({statuses})"))
    return checks


def quarantine_reason_sql():
    """A CASE expression: the first failing check's reason, NULL for a good record."""
    whens = " ".join(f"WHEN {condition} THEN '{reason}'" for reason, condition in quarantine_checks())
    return f"CASE {whens} ELSE NULL END"


def flag_sql(s):
    """SQL for is_critical and is_anomaly over the flattened columns; thresholds are validated floats."""
    t = {name: repr(float(s[name])) for name in FLAG_WIDGETS[1:]}
    # Strictly above the threshold, as in the PoC: 28.0 is not critical, 28.01 is.
    critical = f"temperature_c > {t['critical_temperature_c']}"
    if s["critical_rule"] == "temperature_or_status":
        critical = f"status = 'CRITICAL' OR {critical}"
    anomaly = (
        f"temperature_c < {t['temperature_min_c']} OR temperature_c > {t['temperature_max_c']}"
        f" OR coalesce(pressure_hpa < {t['pressure_min_hpa']} OR pressure_hpa > {t['pressure_max_hpa']}, false)"
    )
    return {"is_critical": critical, "is_anomaly": anomaly}

# COMMAND ----------

# Widgets: the only configuration. A job run passes every one as a base parameter.
for _name, _default in WIDGET_DEFAULTS.items():
    dbutils.widgets.text(_name, _default)

settings = parse_settings({name: dbutils.widgets.get(name) for name in WIDGET_DEFAULTS})

# COMMAND ----------

from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

# The sensor record contract (contract/sensor-record.ts); a test checks fields and types against it.
SENSOR_SCHEMA = StructType([
    StructField("device_id", StringType()),
    StructField("timestamp", LongType()),
    StructField("metrics", StructType([
        StructField("temperature_c", DoubleType()),
        StructField("pressure_hpa", DoubleType()),
        StructField("humidity_percent", DoubleType()),
    ])),
    StructField("status", StringType()),
    StructField("region", StringType()),
    StructField("seq", LongType()),
    StructField("run_id", StringType()),
])

# COMMAND ----------

# Tables created if absent, clustered rather than partitioned (small tables, changing query patterns).
for _key, _columns in (("raw", RAW_COLUMNS), ("processed", PROCESSED_COLUMNS), ("quarantine", QUARANTINE_COLUMNS)):
    spark.sql(create_table_sql(table_name(settings, _key), _columns, CLUSTER_BY[_key]))

# COMMAND ----------

# Bronze: the only Kinesis reader, so the shards' 5 GetRecords calls/s are not shared between queries.
raw = (
    spark.readStream.format("kinesis")
    .options(**kinesis_options(settings))
    .load()
    .select(
        F.col("partitionKey").alias("partition_key"),
        F.col("data"),
        F.col("stream").alias("stream_name"),
        F.col("shardId").alias("shard_id"),
        F.col("sequenceNumber").alias("sequence_number"),
        F.col("approximateArrivalTimestamp").alias("approximate_arrival_timestamp"),
        F.col("data").cast("string").alias("payload"),
        F.current_timestamp().alias("ingest_timestamp"),
    )
)

# COMMAND ----------

# Silver and quarantine read the raw table, each with its own checkpoint (exactly once per table).
checked = (
    spark.readStream.table(table_name(settings, "raw"))
    .withColumn("record", F.from_json("payload", SENSOR_SCHEMA))
    .withColumn("reason", F.expr(quarantine_reason_sql()))
)

quarantine = checked.where("reason IS NOT NULL").select(*[c for c, _ in QUARANTINE_COLUMNS])

flags = flag_sql(settings)
processed_exprs = {
    "run_id": F.col("record.run_id"),
    "device_id": F.col("record.device_id"),
    "seq": F.col("record.seq"),
    "event_timestamp": F.expr("timestamp_millis(record.timestamp)"),
    "timestamp_ms": F.col("record.timestamp"),
    "temperature_c": F.col("record.metrics.temperature_c"),
    "pressure_hpa": F.col("record.metrics.pressure_hpa"),
    "humidity_percent": F.col("record.metrics.humidity_percent"),
    "status": F.col("record.status"),
    "region": F.col("record.region"),
    # Placeholders keep the column order; the flags need the flattened columns, so they are set just below.
    "is_critical": F.lit(None).cast("boolean"),
    "is_anomaly": F.lit(None).cast("boolean"),
    "shard_id": F.col("shard_id"),
    "sequence_number": F.col("sequence_number"),
    "approximate_arrival_timestamp": F.col("approximate_arrival_timestamp"),
    "ingest_timestamp": F.col("ingest_timestamp"),
}
assert list(processed_exprs) == [c for c, _ in PROCESSED_COLUMNS], "processed_exprs must follow PROCESSED_COLUMNS"

processed = (
    checked.where("reason IS NULL")
    .select(*[expr.alias(name) for name, expr in processed_exprs.items()])
    .withColumn("is_critical", F.expr(flags["is_critical"]))
    .withColumn("is_anomaly", F.expr(flags["is_anomaly"]))
    # Readings older than the watermark skip this table but stay in the raw table.
    .withWatermark("event_timestamp", settings["watermark_delay"])
    .dropDuplicatesWithinWatermark(list(DEDUP_KEY))
)

# COMMAND ----------


def start(df, key):
    query_name = f"iot_{key}"
    return (
        df.writeStream.format("delta")
        .queryName(query_name)
        .outputMode("append")
        .option("checkpointLocation", checkpoint_location(settings["checkpoint_base"], query_name))
        .trigger(**trigger_kwargs(settings["trigger"]))
        .toTable(table_name(settings, key))
    )


queries = [start(raw, "raw"), start(processed, "processed"), start(quarantine, "quarantine")]

# A failed query raises here, failing the run so the continuous job restarts it from its checkpoint.
spark.streams.awaitAnyTermination()
for q in queries:
    q.awaitTermination()
