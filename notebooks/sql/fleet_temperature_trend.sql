-- Fleet temperature trend: one row per minute over the last hour, across every reporting device: the proof of
-- concept's trend (its time_window and average_fleet_temp are minute_start and avg_temperature_c here), oldest first.
-- Named parameters: :catalog, :schema, :processed_table.
SELECT
  date_trunc('MINUTE', event_timestamp) AS minute_start,
  avg(temperature_c) AS avg_temperature_c,
  min(temperature_c) AS min_temperature_c,
  max(temperature_c) AS max_temperature_c,
  count(DISTINCT device_id) AS reporting_devices,
  count(*) AS readings
FROM IDENTIFIER(:catalog || '.' || :schema || '.' || :processed_table)
WHERE event_timestamp > current_timestamp() - INTERVAL 1 HOUR
GROUP BY date_trunc('MINUTE', event_timestamp)
ORDER BY minute_start
