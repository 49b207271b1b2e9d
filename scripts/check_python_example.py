"""Checks a Python example against the Python sources jsii-pacmak generated for this library.

The jsii runtime for Python is not installable here, so the example cannot run. Instead this
byte-compiles both and checks, with Python's own parser, that every name the example imports from
the library exists, that every `Class.member` it uses is defined, and that every keyword argument
it passes to a class or static method is a parameter of it.

Usage: python3 scripts/check_python_example.py <example.py> <generated package __init__.py>
"""
import ast
import py_compile
import sys


def members(tree):
    """Class name -> {member name -> set of keyword parameter names}."""
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found = {}
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    args = item.args
                    found[item.name] = {a.arg for a in args.args + args.kwonlyargs}
            classes[node.name] = found
    return classes


def main(example_path, package_path):
    for path in (example_path, package_path):
        py_compile.compile(path, doraise=True)
    classes = members(ast.parse(open(package_path).read()))
    example = ast.parse(open(example_path).read())
    imported = set()
    problems = []
    for node in ast.walk(example):
        if isinstance(node, ast.ImportFrom) and node.module == "cdk8s_istio_egress":
            for alias in node.names:
                if alias.name not in classes:
                    problems.append(f"imports {alias.name}, which the package does not define")
                imported.add(alias.asname or alias.name)
    for node in ast.walk(example):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in imported:
            params = classes.get(func.id, {}).get("__init__", set())
            where = f"{func.id}(...)"
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in imported:
            params = classes.get(func.value.id, {}).get(func.attr)
            where = f"{func.value.id}.{func.attr}(...)"
            if params is None:
                problems.append(f"line {node.lineno}: {where}: no such member")
                continue
        else:
            continue
        for keyword in node.keywords:
            if keyword.arg is not None and keyword.arg not in params:
                problems.append(f"line {node.lineno}: {where} has no parameter {keyword.arg}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"{example_path}: {len(imported)} names checked against {package_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
