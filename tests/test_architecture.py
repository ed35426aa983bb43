"""The package's shape: no import cycle, and no import that goes up the pipeline's layers.

Every import counts: at module level, under ``TYPE_CHECKING`` and inside functions (a
function-level import that goes up a layer is still a dependency, only a hidden one)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: folders of the import package ``mathlint``
PACKAGES = {"mathlint": ROOT / "checks", "mathlint.derivations": ROOT / "derivations"}

#: the layers, bottom first: a module may import its own layer and the ones below it
LAYERS = [
    {"mathlint", "mathlint.model", "mathlint.options", "mathlint.relations", "mathlint.rule_codes"},
    {"mathlint.runtime"},
    {"mathlint.expr"},
    {"mathlint.cache"},
    {"mathlint.sources"},
    {"mathlint.latex"},
    {"mathlint.claims"},
    {"mathlint.numeric"},
    {"mathlint.proof"},
    {"mathlint.check"},
    {"mathlint.fixes", "mathlint.findings"},
    {"mathlint.derivations"},
    {"mathlint.pipeline"},
    {"mathlint.report"},
    {"mathlint.app", "mathlint.__main__"},
    {"mathlint.dev"},
]


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__``)."""
    found = {}
    for name, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            dotted = ".".join((name, *parts))
            if name == "mathlint" and dotted.startswith("mathlint.derivations"):
                continue
            found[dotted] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        out |= {t for t in targets if t in MODULES and t != name}
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    """The layer of a module: of its own name, else of its closest package listed."""
    probe = name
    while probe:
        for i, layer in enumerate(LAYERS):
            if probe in layer:
                return i
        probe = probe.rpartition(".")[0]
    raise AssertionError(f"{name} is in no layer: add it to LAYERS (and docs/architecture.md)")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_package_is_found():
    assert "mathlint.pipeline.engine" in MODULES and "mathlint.derivations.framework" in MODULES
    assert "mathlint.latex.parse" in GRAPH["mathlint.latex.reader"]


def test_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_the_layers(name):
    up = sorted(t for t in GRAPH[name] if _layer(t) > _layer(name))
    assert up == [], f"{name} (layer {_layer(name)}) imports a higher layer: {up}"


def test_the_linter_passes():
    """``ruff check`` with the configuration in pyproject.toml ([tool.ruff]) finds nothing."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    proc = subprocess.run([ruff, "check", "--no-cache", "checks", "derivations", "tests", "benchmarks", "scripts"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_installed_as_mathlint_only(tmp_path):
    """Installed, the engine is ``mathlint`` (and ``python -m mathlint`` its command line);
    nothing generic such as ``checks`` or ``derivations`` is importable outside the checkout."""
    code = ("import importlib.util as u, mathlint, mathlint.derivations; "
            "print(u.find_spec('checks') is None, u.find_spec('derivations') is None, "
            "sorted(mathlint.derivations.REGISTRY))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["True", "True", "['softmax']"], proc.stderr
    proc = subprocess.run([sys.executable, "-m", "mathlint", "--version"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("mathlint "), proc.stderr
