"""JSON from users' files, read with limits: a broken or hostile file is a typed error, never a crash."""
import json

MAX_JSON_BYTES = 8 * 1024 * 1024  # far above any profile, cart, catalog entry or settings file
MAX_JSON_DEPTH = 64               # real files nest under 10 levels; Python's recursion limit is 1000
MAX_INT_DIGITS = 18               # ids, counts, cents: nothing real needs more than a 64-bit integer


class UnsafeJsonError(ValueError):
    """A JSON text is malformed, too large, too deep or has an absurd number; the message says which."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise UnsafeJsonError(f"a number with {len(text)} digits is not a real value")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise UnsafeJsonError(f"{text[:20]} is too large to be a real value")
    return value


def _depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def load_json_text(text: str, *, what: str) -> object:
    """Parse ``text`` (the contents of ``what``, named in messages) within the limits above."""
    if len(text) > MAX_JSON_BYTES:
        raise UnsafeJsonError(f"{what} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
    if _depth(text) > MAX_JSON_DEPTH:
        raise UnsafeJsonError(f"{what} nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_reject_constant)
    except UnsafeJsonError as exc:
        raise UnsafeJsonError(f"{what}: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise UnsafeJsonError(f"{what} is not valid JSON ({exc})") from None


def _reject_constant(name: str):
    raise UnsafeJsonError(f"{name} is not a number")
