"""The order store's tables, as SQL (the module docstring of ``app.orders.store`` says what each holds)."""

DDL = """
CREATE TABLE IF NOT EXISTS orders (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    currency     TEXT NOT NULL,
    total        TEXT NOT NULL,
    line_count   INTEGER NOT NULL CHECK (line_count >= 1),
    fit_notes    TEXT,
    measurements TEXT
);
CREATE INDEX IF NOT EXISTS orders_by_time ON orders (created_at DESC, seq DESC);
CREATE TABLE IF NOT EXISTS order_lines (
    order_id   TEXT NOT NULL REFERENCES orders (order_id),
    line_no    INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    garment_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    size       TEXT NOT NULL,
    colour     TEXT,
    quantity   INTEGER NOT NULL,
    unit_price TEXT NOT NULL,
    line_total TEXT NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE IF NOT EXISTS order_pictures (
    order_id TEXT PRIMARY KEY REFERENCES orders (order_id),
    png      BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    order_id        TEXT PRIMARY KEY REFERENCES orders (order_id),
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    lease_until     REAL NOT NULL DEFAULT 0,
    lease_token     TEXT,
    last_error      TEXT,
    last_attempt_at TEXT,
    delivered_at    TEXT,
    endpoint        TEXT
);
"""
