"""The private parts of pyrender the view patches still exist, with the parameters the patches expect."""

import importlib
import inspect

import pytest

from app.render.pyrender_adapter import PRIVATE_NAMES


def _assigned_in_init(cls) -> set[str]:
    """Attributes the methods of ``cls`` assign on ``self`` (read from its source)."""
    source = inspect.getsource(cls)
    return {line.split("self.", 1)[1].split("=", 1)[0].strip()
            for line in source.splitlines() if "self." in line and "=" in line.split("self.", 1)[1]}


@pytest.mark.parametrize("where", list(PRIVATE_NAMES), ids=lambda w: f"{w[0]}.{w[1]}")
def test_patched_pyrender_names_exist(where):
    module_name, class_name = where
    cls = getattr(importlib.import_module(module_name), class_name, None)
    assert cls is not None, f"pyrender has no {module_name}.{class_name} any more: update app/render/pyrender_adapter.py"
    attributes = _assigned_in_init(cls)
    for name, parameters in PRIVATE_NAMES[where].items():
        if parameters is None:
            assert name in attributes, f"pyrender's {class_name} no longer sets self.{name}: update the adapter"
            continue
        method = getattr(cls, name, None)
        assert callable(method), f"pyrender's {class_name}.{name} is gone: update app/render/pyrender_adapter.py"
        got = tuple(inspect.signature(method).parameters)
        assert got == parameters, f"pyrender's {class_name}.{name}{got} changed from {parameters}: update the adapter"

