"""The order JSON Schema (draft 2020-12) and a validator for it.

``order.schema.json`` beside this file is the contract for exported orders. The validator here
implements the keywords that schema uses (and refuses a schema that uses others), so the
project needs no extra dependency; ``validate_order`` adds the checks JSON Schema cannot express
(totals add up, two decimals).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .constants import MONEY_QUANTUM
from .errors import OrderError

SCHEMA_PATH = Path(__file__).with_name("order.schema.json")
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# Keywords that only annotate (no assertion in draft 2020-12, "format" included by default).
ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "format"}
ASSERTIONS = {
    "type", "required", "properties", "additionalProperties", "items", "minItems", "maxItems",
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "minProperties", "$ref",
}


class OrderSchemaError(OrderError):
    """An order object does not follow the order schema; the message names the field."""


@lru_cache(maxsize=1)
def order_schema() -> dict:
    """The order schema as a dict (checked to use only supported keywords)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    _check_keywords(schema, "#")
    return schema


def _check_keywords(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        return
    unknown = set(node) - ANNOTATIONS - ASSERTIONS
    if unknown:
        raise ValueError(f"{where}: schema keyword(s) {sorted(unknown)} are not supported by app.orders.schema")
    for key in ("properties", "$defs"):
        for name, sub in node.get(key, {}).items():
            _check_keywords(sub, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _check_keywords(node[key], f"{where}/{key}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return False


TYPE_CHECKS = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(instance: Any, schema: dict | None = None) -> list[str]:
    """Every way ``instance`` breaks the order schema (or ``schema``), as ``path: problem``."""
    root = order_schema() if schema is None else schema
    errors: list[str] = []
    _validate(instance, root, root, "order", errors)
    return errors


def _resolve(root: dict, ref: str) -> dict:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref is supported, not {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _validate(value: Any, node: dict, root: dict, path: str, errors: list[str]) -> None:
    if "$ref" in node:
        _validate(value, _resolve(root, node["$ref"]), root, path, errors)
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(TYPE_CHECKS[t](value) for t in types):
            errors.append(f"{path}: {json.dumps(value, default=str)[:60]} is not of type {' or '.join(types)}")
            return
    if isinstance(value, str):
        if len(value) < node.get("minLength", 0):
            errors.append(f"{path}: is shorter than {node['minLength']} characters")
        if "maxLength" in node and len(value) > node["maxLength"]:
            errors.append(f"{path}: is longer than {node['maxLength']} characters")
        if "pattern" in node and not re.search(node["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {node['pattern']}")
    if _is_number(value):
        if "minimum" in node and value < node["minimum"]:
            errors.append(f"{path}: {value} is below the minimum {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            errors.append(f"{path}: {value} is above the maximum {node['maximum']}")
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            errors.append(f"{path}: {value} must be more than {node['exclusiveMinimum']}")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            errors.append(f"{path}: needs at least {node['minItems']} item(s)")
        if "maxItems" in node and len(value) > node["maxItems"]:
            errors.append(f"{path}: has more than {node['maxItems']} items")
        if isinstance(node.get("items"), dict):
            for index, item in enumerate(value):
                _validate(item, node["items"], root, f"{path}[{index}]", errors)
    if isinstance(value, dict):
        if len(value) < node.get("minProperties", 0):
            errors.append(f"{path}: needs at least {node['minProperties']} field(s)")
        for key in node.get("required", ()):
            if key not in value:
                errors.append(f"{path}: missing required field \"{key}\"")
        properties = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                _validate(item, properties[key], root, f"{path}.{key}", errors)
            elif extra is False:
                errors.append(f"{path}: unknown field \"{key}\"")
            elif isinstance(extra, dict):
                _validate(item, extra, root, f"{path}.{key}", errors)


def _two_decimals(value: Any) -> bool:
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    return amount == amount.quantize(MONEY_QUANTUM)


def validate_order(obj: Any) -> None:
    """Raise OrderSchemaError unless ``obj`` is a valid order object (schema and arithmetic).

    Numbers may be float, int or Decimal (``json.loads(..., parse_float=Decimal)`` keeps them exact).
    """
    errors = schema_errors(obj)
    if not errors:
        errors = _arithmetic_errors(obj)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise OrderSchemaError(f"not a valid order: {errors[0]}{more}; see app/orders/order.schema.json")


def _arithmetic_errors(obj: dict) -> list[str]:
    errors = []
    total = Decimal("0.00")
    for index, item in enumerate(obj["items"]):
        for key in ("unit_price", "line_total"):
            if not _two_decimals(item[key]):
                errors.append(f"order.items[{index}].{key}: {item[key]} has more than two decimals")
        unit, line = Decimal(str(item["unit_price"])), Decimal(str(item["line_total"]))
        if unit * int(item["quantity"]) != line:
            errors.append(f"order.items[{index}].line_total: {line} is not {unit} x {item['quantity']}")
        total += line
    if not _two_decimals(obj["total"]):
        errors.append(f"order.total: {obj['total']} has more than two decimals")
    if Decimal(str(obj["total"])) != total:
        errors.append(f"order.total: {obj['total']} is not the sum of the line totals {total}")
    return errors
