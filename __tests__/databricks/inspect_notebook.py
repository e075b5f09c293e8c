"""Reads the processor notebook without Spark and prints what the contract tests compare, as JSON.

Usage: python3 inspect_notebook.py <notebook.py>  (stdin: {"calls": [{"fn": name, "args": [...]}, ...]})

Parses the whole notebook with ast (it must be valid Python), extracts the widgets, the Spark schema, the
table column lists and every connector option name, then runs the requested calls against the notebook's
pure-helper cell (the one cell that needs neither Spark nor dbutils).
"""
import ast
import json
import os
import sys

# The cell reader `loadgen analytics` uses to take its rules from the notebook: the tests read cells the same way.
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "loadgen", "analytics"))
from notebook_rules import SEPARATOR, helper_cell  # noqa: E402
SPARK_TYPES = {"StringType": "string", "LongType": "long", "DoubleType": "double", "IntegerType": "int",
               "BooleanType": "boolean", "TimestampType": "timestamp", "FloatType": "float"}


def literal_assignment(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
    raise SystemExit(f"notebook has no top-level assignment to {name}")


def struct_fields(call, prefix=""):
    """Flattens StructType([StructField("a", LongType()), StructField("m", StructType([...]))]) into leaf paths."""
    if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "StructType"):
        raise SystemExit(f"expected StructType(...) at line {getattr(call, 'lineno', '?')}")
    leaves = []
    for field in call.args[0].elts:
        name = field.args[0].value
        type_call = field.args[1]
        type_name = type_call.func.id
        if type_name == "StructType":
            leaves += struct_fields(type_call, f"{prefix}{name}.")
        else:
            leaves.append({"path": f"{prefix}{name}", "sparkType": SPARK_TYPES.get(type_name, type_name)})
    return leaves


def attribute_chain(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def iterates_widget_defaults(node):
    return isinstance(node, ast.Call) and attribute_chain(node.func) in ("WIDGET_DEFAULTS.items", "WIDGET_DEFAULTS.keys") \
        or isinstance(node, ast.Name) and node.id == "WIDGET_DEFAULTS"


def widget_calls(tree):
    """Names of widgets the notebook defines and reads: literal names, or every WIDGET_DEFAULTS key when the
    call sits in a loop or comprehension over WIDGET_DEFAULTS. Non-literal names elsewhere are reported."""
    defined, read, unresolved = set(), set(), []
    keys = list(ast.literal_eval(literal_assignment(tree, "WIDGET_DEFAULTS")))

    def visit(node, in_defaults_loop):
        if isinstance(node, ast.For):
            in_defaults_loop = in_defaults_loop or iterates_widget_defaults(node.iter)
        if isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
            in_defaults_loop = in_defaults_loop or any(iterates_widget_defaults(g.iter) for g in node.generators)
        if isinstance(node, ast.Call):
            chain = attribute_chain(node.func)
            if chain.startswith("dbutils.widgets."):
                method = chain.split(".")[-1]
                target = read if method == "get" else defined
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant):
                    target.add(arg.value)
                elif in_defaults_loop:
                    target.update(keys)
                else:
                    unresolved.append(f"line {node.lineno}: dbutils.widgets.{method} with a computed name")
        for child in ast.iter_child_nodes(node):
            visit(child, in_defaults_loop)

    visit(tree, False)
    return sorted(defined), sorted(read), unresolved


def option_names(tree):
    """First arguments of every .option("name", ...) call and the keys of every dict literal a function named
    *_options returns."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "option":
            if node.args and isinstance(node.args[0], ast.Constant):
                names.append(node.args[0].value)
    return names


def kinesis_option_keys(tree):
    keys = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "kinesis_options":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Dict):
                    keys.update(k.value for k in inner.keys if isinstance(k, ast.Constant))
                if isinstance(inner, ast.Subscript) and isinstance(inner.ctx, ast.Store):
                    if isinstance(inner.slice, ast.Constant):
                        keys.add(inner.slice.value)
    return sorted(keys)


def string_constants(tree):
    return sorted({n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)})


def dict_keys(tree, name):
    value = literal_assignment(tree, name)
    return [k.value for k in value.keys]


def run_calls(helper_source, calls):
    namespace = {}
    exec(compile(helper_source, "pure-helpers-cell", "exec"), namespace)
    results = []
    for call in calls:
        try:
            results.append({"ok": namespace[call["fn"]](*call.get("args", []))})
        except Exception as error:  # the test asserts on the message
            results.append({"error": f"{type(error).__name__}: {error}"})
    return results


def main():
    path = sys.argv[1]
    source = open(path, encoding="utf-8").read()
    compile(source, path, "exec")  # what py_compile checks, without writing __pycache__ next to the notebook
    tree = ast.parse(source, filename=path)
    cells = source.split(SEPARATOR)
    request = json.loads(sys.stdin.read() or "{}")
    defined, read, unresolved = widget_calls(tree)
    print(json.dumps({
        "firstLine": source.splitlines()[0],
        "cellCount": len(cells),
        "widgetDefaults": ast.literal_eval(literal_assignment(tree, "WIDGET_DEFAULTS")),
        "definedWidgets": defined,
        "readWidgets": read,
        "unresolvedWidgetCalls": unresolved,
        "schema": struct_fields(literal_assignment(tree, "SENSOR_SCHEMA")),
        "requiredFields": list(ast.literal_eval(literal_assignment(tree, "REQUIRED_FIELDS"))),
        "dedupKey": list(ast.literal_eval(literal_assignment(tree, "DEDUP_KEY"))),
        "processedColumns": [list(c) for c in ast.literal_eval(literal_assignment(tree, "PROCESSED_COLUMNS"))],
        "processedExprKeys": dict_keys(tree, "processed_exprs"),
        "writerOptions": option_names(tree),
        "kinesisOptionKeys": kinesis_option_keys(tree),
        "strings": string_constants(tree),
        "calls": run_calls(helper_cell(source), request.get("calls", [])),
    }))


if __name__ == "__main__":
    main()
