"""The core never imports the GUI or the renderer."""

import subprocess
import sys


def test_core_imports_no_gui():
    code = ("import avatar, garments, sys, pkgutil, importlib\n"
            "for pkg in (avatar, garments):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'pyrender', 'OpenGL'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_commands_import_nothing_from_the_gui():
    """The command line works without the desktop app's modules (they may need a display)."""
    import ast
    from pathlib import Path

    commands = Path(__file__).resolve().parent.parent / "app" / "commands"
    found = []
    for path in sorted(commands.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            found += [f"{path.name}: {name}" for name in names
                      if name == "app.gui" or name.startswith(("app.gui.", "..gui"))]
    assert found == []
