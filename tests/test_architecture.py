"""The layers hold: the core never imports the GUI, the renderer or the app; no import cycles; small modules.

The import graph is read with ``ast`` from the source of every module of ``avatar``, ``garments`` and
``app``, counting ALL imports, those inside functions too: an import put inside a function still ties
the two modules together, and a cycle hidden that way is still a cycle. Since the graph with every
import is acyclic, no import anywhere needs to stay inside a function to break one.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("avatar", "garments", "app")
CORE = ("avatar", "garments")
MAX_MODULE_LINES = 400


def _modules() -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the project's packages."""
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that module ``name`` (file ``path``) imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets += [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
    found = set()
    for target in targets:
        while target and target not in modules:  # "pkg.mod.Name" -> "pkg.mod"
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_core_imports_no_gui():
    code = ("import avatar, garments, sys, pkgutil, importlib\n"
            "for pkg in (avatar, garments):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'pyrender', 'OpenGL'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_core_never_imports_the_app():
    graph = import_graph()
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if m.split(".")[0] in CORE
                   for t in targets if t.split(".")[0] == "app")
    assert wrong == [], "avatar/ and garments/ must not import app/: " + "; ".join(wrong)


def test_avatar_never_imports_garments():
    graph = import_graph()
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if m.split(".")[0] == "avatar"
                   for t in targets if t.split(".")[0] == "garments")
    assert wrong == [], "avatar/ is below garments/: " + "; ".join(wrong)


def test_no_import_cycles():
    cycle = _cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_module_over_the_size_limit():
    sizes = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
             for path in _modules().values()}
    over = sorted(f"{p} ({n} lines)" for p, n in sizes.items() if n > MAX_MODULE_LINES)
    assert over == [], f"split these by job, each under {MAX_MODULE_LINES} lines: " + ", ".join(over)


def test_the_controller_and_session_import_no_gui():
    """The try-on loop's state and stages run without Qt, so they can be driven and tested alone."""
    code = ("import sys, app.controller.tryon, app.controller.remember, app.controller.capture, "
            "app.controller.profile_code, app.gui.session; "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'pyrender', 'OpenGL'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_commands_import_nothing_from_the_gui():
    """The command line works without the desktop app's modules (they may need a display)."""
    graph = import_graph()
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if m.startswith("app.commands")
                   for t in targets if t == "app.gui" or t.startswith("app.gui."))
    assert wrong == [], "app/commands must not import app/gui: " + "; ".join(wrong)
