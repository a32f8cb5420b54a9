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
