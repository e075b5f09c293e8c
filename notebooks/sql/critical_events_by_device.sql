-- Critical events per device over the last 24 hours (devices with at least one), most affected first: the
-- proof of concept's bar chart (its critical_count is critical_events here), plus anomalies and the last reading.
-- Named parameters: :catalog, :schema, :processed_table.
SELECT
  device_id,
  count_if(is_critical) AS critical_events,
  count_if(is_anomaly) AS anomalies,
  max(temperature_c) AS max_temperature_c,
  max(event_timestamp) AS last_event_timestamp
FROM IDENTIFIER(:catalog || '.' || :schema || '.' || :processed_table)
WHERE event_timestamp > current_timestamp() - INTERVAL 24 HOURS
GROUP BY device_id
HAVING count_if(is_critical) > 0
ORDER BY critical_events DESC, device_id
