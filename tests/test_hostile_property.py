"""Property tests: any cart, config.json, settings.json, kiosk.json, endpoint or picture gives a result
or a UserError message, never another exception, quickly (the deadline) and within a memory cap (a
tracemalloc peak)."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.gui.settings import Settings
from app.kiosk_pin import PinGuard, load_pin_record
from app.orders.delivery import check_endpoint, configured_backoff_s, redact_url, resolve_endpoint
from app.orders.cart import load_cart
from app.orders.pricing import price_cart
from app.orders.picture import PNG_SIGNATURE, check_picture
from tests.memory_bounds import SMALL_FILE_MEMORY_CAP_BYTES, bounded
from tests.test_order_cli import CATALOG

# Each example must finish well within this (ms): a hostile file is refused, not chewed on.
DEADLINE_MS = 1000
CAP = SMALL_FILE_MEMORY_CAP_BYTES  # and at most this much memory
PROPERTY = settings(max_examples=80, deadline=DEADLINE_MS,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**18, max_value=10**60)
           | st.floats(allow_nan=False) | st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                            max_size=4), max_leaves=20)
hostile_numbers = st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "9" * 400, "-" + "9" * 5000, "1" * 30])
deep = st.integers(min_value=60, max_value=5000).map(lambda n: "[" * n + "]" * n)


def hostile_text(known: st.SearchStrategy) -> st.SearchStrategy:
    """Texts of a JSON file: the expected shape with odd values, any JSON, numbers too big, deep nesting, junk."""
    with_number = st.tuples(known.map(json.dumps), hostile_numbers).map(lambda t: t[0].replace("1", t[1], 1))
    return st.one_of(known.map(json.dumps), values.map(json.dumps), with_number, deep, st.text(max_size=200))


garment = st.sampled_from([*CATALOG, "", "\x1b[2J", "x" * 300])
cart_item = st.fixed_dictionaries(
    {"garment": garment | values, "size": st.sampled_from(["M", "m", "32", "XXL", ""]) | values,
     "quantity": st.integers(min_value=-5, max_value=120) | values},
    optional={"colour": st.sampled_from(["navy", "white", "pink"]) | values, "extra": values})
carts = st.fixed_dictionaries({"items": st.lists(cart_item, max_size=4)}, optional={"note": values})


@PROPERTY
@given(text=hostile_text(carts))
def test_any_cart_is_placed_or_refused_with_a_message(tmp_path, text):
    path = tmp_path / "cart.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    bounded(lambda: price_cart(load_cart(path), CATALOG.__getitem__), cap_bytes=CAP)


config = st.fixed_dictionaries({}, optional={
    "order_endpoint": st.sampled_from(["https://shop.example/orders", "http://[::1", "ftp://x", "http://a b/"]) | values,
    "order_backoff_s": st.floats(allow_nan=True) | values})


@PROPERTY
@given(text=hostile_text(config))
def test_any_config_gives_an_endpoint_or_a_message(_home, text):
    _home.mkdir(exist_ok=True)
    (_home / "config.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    for read in (resolve_endpoint, configured_backoff_s):
        bounded(read, cap_bytes=CAP)


window_settings = st.fixed_dictionaries({}, optional={
    "version": st.integers(-2, 3) | values, "geometry": st.text(string.printable, max_size=40) | values,
    "window_state": values, "last_profile": st.text(max_size=20) | values, "units": st.sampled_from(["cm", "in", "m"]),
    "panel": st.integers(-3, 10**12) | values, "profile": values})


@PROPERTY
@given(text=hostile_text(window_settings))
def test_any_settings_file_loads(_home, text):
    _home.mkdir(exist_ok=True)
    Settings.path().write_text(text, encoding="utf-8", errors="surrogatepass")
    loaded = bounded(Settings.load, cap_bytes=CAP)  # never raises: a broken file must not stop the app from opening
    assert loaded.units in ("cm", "in") and isinstance(loaded.panel, int) and isinstance(loaded.last_profile, str)
    Settings.decode(loaded.geometry)
    Settings.path().with_name("settings.json.bad").unlink(missing_ok=True)


pin_record = st.fixed_dictionaries({"algorithm": st.sampled_from(["scrypt", "md5"]) | values,
                                    "salt": st.sampled_from(["00" * 16, "zz", ""]) | values,
                                    "hash": st.sampled_from(["00" * 32, "0" * 63]) | values},
                                   optional={"n": values})
kiosk_files = st.fixed_dictionaries({"version": st.integers(0, 3) | values, "pin": pin_record | values})


@PROPERTY
@given(text=hostile_text(kiosk_files))
def test_any_kiosk_file_gives_no_pin_a_pin_or_a_message(_home, text):
    _home.mkdir(exist_ok=True)
    (_home / "kiosk.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    record = bounded(load_pin_record, cap_bytes=CAP)  # None also when refused with a message
    assert record is None or PinGuard(record).check("123456") in (True, False)


@PROPERTY
@given(url=st.text(max_size=60) | st.builds(lambda host, port, path: f"http://{host}:{port}/{path}",
                                            st.text(max_size=15), st.text(max_size=8), st.text(max_size=10)))
def test_any_endpoint_is_accepted_or_refused_with_a_message(url):
    bounded(redact_url, url, cap_bytes=CAP)
    bounded(check_endpoint, url, cap_bytes=CAP)


@PROPERTY
@given(tail=st.binary(max_size=200))
def test_any_picture_is_measured_or_refused(tail):
    size = bounded(check_picture, PNG_SIGNATURE + tail, cap_bytes=CAP)
    assert size is None or (size[0] > 0 and size[1] > 0)


@pytest.fixture
def tmp_path(tmp_path_factory):
    """One folder for all examples of a test (hypothesis runs a test's examples in one fixture scope)."""
    return tmp_path_factory.mktemp("hostile")


def test_the_caps_catch_a_reader_that_grows_or_fails_otherwise():
    with pytest.raises(AssertionError, match="peak 32 MB"):
        bounded(lambda: bytearray(32 * 2**20), cap_bytes=CAP)
    with pytest.raises(KeyError):
        bounded({}.__getitem__, "x")
    from avatar.errors import UserError

    def two_lines():
        raise UserError("first\nsecond")

    with pytest.raises(AssertionError):
        bounded(two_lines)
