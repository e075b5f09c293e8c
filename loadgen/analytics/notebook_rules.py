"""Prints the processor notebook's processing rules as JSON, computed by the notebook's own pure-helper cell in
plain python3 (no Spark): the is_critical and is_anomaly SQL for the flag widgets, the quarantine CASE expression,
the dedup key and the processed table's columns. `loadgen analytics` applies exactly these to records offline (notebook-rules.ts runs this).

Usage: python3 notebook_rules.py <notebook.py>  (stdin: {"widgets": {name: value}}; the others keep the notebook's
defaults). A widget the notebook rejects: its one-line message on stderr and exit code 2.
"""
import json
import sys

SEPARATOR = "\n# COMMAND ----------\n"
HELPER_MARKER = "# Pure helpers"


def helper_cell(source):
    """The one notebook cell that needs neither Spark nor dbutils."""
    cells = [c for c in source.split(SEPARATOR) if c.lstrip().startswith(HELPER_MARKER)]
    if len(cells) != 1:
        raise SystemExit(f"expected exactly one cell starting with '{HELPER_MARKER}', found {len(cells)}")
    return cells[0]


def rules(path, widgets):
    helpers = {}
    exec(compile(helper_cell(open(path, encoding="utf-8").read()), path, "exec"), helpers)
    flag_widgets = helpers["FLAG_WIDGETS"]
    unknown = sorted(set(widgets) - set(flag_widgets))
    if unknown:
        raise helpers["SettingsError"](f"unknown flag widgets {unknown}; allowed: {list(flag_widgets)}")
    raw = {**helpers["WIDGET_DEFAULTS"], **widgets}
    flags = helpers["flag_sql"](helpers["parse_flag_settings"](raw))
    return {
        "widgets": {name: raw[name] for name in flag_widgets},
        "isCritical": flags["is_critical"],
        "isAnomaly": flags["is_anomaly"],
        "quarantineReason": helpers["quarantine_reason_sql"](),
        "dedupKey": list(helpers["DEDUP_KEY"]),
        "processedColumns": [name for name, _ in helpers["PROCESSED_COLUMNS"]],
    }


def main():
    request = json.loads(sys.stdin.read() or "{}")
    try:
        print(json.dumps(rules(sys.argv[1], request.get("widgets", {}))))
    except ValueError as error:  # the notebook's SettingsError: one line naming the widget and the value
        print(error, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
