"""Order exports: JSON (the order schema), CSV (one row per line) and a PDF receipt (Qt's QPdfWriter).

Every export is written atomically: a reader sees the old file or the whole new one.
The PDF needs Qt's GUI module (fonts) but no display: without a running Qt application one is
created on the ``offscreen`` platform.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from avatar.storage import atomic_write_bytes

from .errors import OrderError
from .model import Order
from .receipt_text import draw_line, layout_text
from .schema import validate_order

FORMATS = ("json", "csv", "pdf")
# Spreadsheets run a cell that starts with one of these as a formula; OWASP's advice for CSV
# injection is to prefix such cells with a single quote (https://owasp.org/www-community/attacks/CSV_Injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("order_id", "created_at", "currency", "line_no", "sku", "garment_id", "name", "size", "colour",
               "quantity", "unit_price", "line_total", "order_total")

# Receipt layout, millimetres on an A4 page.
PAGE_MARGIN_MM = 18.0
PICTURE_W_MM, PICTURE_H_MM = 55.0, 80.0
ROW_H_MM = 11.0
PDF_DPI = 300


def dumps(obj: Any, indent: int = 2) -> str:
    """JSON text like ``json.dumps(obj, indent=indent)``, but ``Decimal`` money as numbers with two decimals."""

    def encode(value: Any, level: int) -> str:
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        pad, inner = " " * (indent * level), " " * (indent * (level + 1))
        if isinstance(value, dict):
            if not value:
                return "{}"
            fields = (f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {encode(v, level + 1)}" for k, v in value.items())
            return "{\n" + ",\n".join(fields) + "\n" + pad + "}"
        if isinstance(value, (list, tuple)):
            if not value:
                return "[]"
            return "[\n" + ",\n".join(inner + encode(v, level + 1) for v in value) + "\n" + pad + "]"
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    return encode(obj, 0)


def order_json_text(order: Order) -> str:
    """The order as JSON text that follows ``order.schema.json`` (checked before it is returned)."""
    obj = order.to_json()
    validate_order(obj)
    return dumps(obj) + "\n"


def orders_json_text(orders: list[Order]) -> str:
    """A JSON array of orders (each one following the schema)."""
    objs = [order.to_json() for order in orders]
    for obj in objs:
        validate_order(obj)
    return dumps(objs) + "\n"


def csv_cell(text: str) -> str:
    """``text`` made safe for a spreadsheet: a leading ``'`` when it would start a formula."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def order_csv_text(order: Order) -> str:
    """One header row, then one row per order line (money with two decimals, RFC 4180 quoting; text
    cells that would start a formula get a leading ``'``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for line_no, line in enumerate(order.lines, start=1):
        text = [csv_cell(value) for value in (line.sku, line.garment_id, line.name, line.size, line.colour or "")]
        writer.writerow([
            order.order_id, order.created_at_iso, order.currency, line_no, *text, line.quantity,
            f"{line.unit_price:.2f}", f"{line.line_total:.2f}", f"{order.total:.2f}",
        ])
    return buffer.getvalue()


def check_export_path(out: Path, *, overwrite: bool) -> Path:
    """``out`` if an export may be written there: its folder exists, and it is new unless ``overwrite``."""
    out = Path(out)
    if not out.parent.is_dir():
        raise OrderError(f"folder {out.parent} does not exist; create it first or choose another path")
    if out.is_dir():
        raise OrderError(f"{out} is a folder; give a file name")
    if out.exists() and not overwrite:
        raise OrderError(f"{out} exists already; choose another name, or add --force to replace it")
    return out


def export_order(order: Order, fmt: str, out: Path, *, picture=None, overwrite: bool = False) -> Path:
    """Write ``order`` to ``out`` as json, csv or pdf; ``picture`` (QImage, PNG bytes or a path) goes on the receipt.

    The folder of ``out`` must exist; an existing file is replaced only with ``overwrite``.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise OrderError(f"unknown export format \"{fmt}\"; choose one of {', '.join(FORMATS)}")
    out = check_export_path(out, overwrite=overwrite)
    if fmt == "json":
        data = order_json_text(order).encode("utf-8")
    elif fmt == "csv":
        data = order_csv_text(order).encode("utf-8")
    else:
        data = receipt_pdf_bytes(order, picture)
    try:
        atomic_write_bytes(out, data)
    except OSError as exc:
        raise OrderError(f"cannot write {out} ({exc.strerror or exc}); choose a writable path") from None
    return out


# ---------------------------------------------------------------------------------------------
# PDF receipt

_APP = None  # the Qt application created here, kept alive for the process

# PySide6 6.12.0 on Python 3.11 returns None from every void method without a new reference, so
# each such call takes one reference from None; None starts with a few thousand and the process
# aborts ("none_dealloc") when it reaches 0, at the latest when it exits. Python 3.12+ makes None
# immortal; on 3.11 we give None this many references more, which no session can use up.
NONE_EXTRA_REFS = 1 << 40


def pin_none() -> None:
    """Make None as good as immortal on Python < 3.12 (see NONE_EXTRA_REFS); idempotent, no-op on 3.12+."""
    global _NONE_PINNED
    if sys.version_info >= (3, 12) or _NONE_PINNED:
        return
    import ctypes

    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of a release build's object
    if abs(count.value - sys.getrefcount(None)) > 64:
        return  # not the layout we know (a debug build): leave it alone
    count.value += NONE_EXTRA_REFS
    _NONE_PINNED = True


_NONE_PINNED = False


def _ensure_qt() -> None:
    global _APP
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs fonts, not a display
        _APP = QGuiApplication([])
    elif not isinstance(QCoreApplication.instance(), QGuiApplication):
        raise OrderError("a PDF receipt needs a Qt GUI application; create QApplication, not QCoreApplication")


def load_picture(picture):
    """``picture`` (QImage, PNG/JPEG bytes, or a file path) as a QImage, or None."""
    from PySide6.QtGui import QImage

    if picture is None:
        return None
    if isinstance(picture, QImage):
        image = picture
    elif isinstance(picture, (bytes, bytearray)):
        image = QImage.fromData(bytes(picture))
    else:
        image = QImage(str(picture))
        if image.isNull() and not Path(picture).exists():
            raise OrderError(f"avatar picture {picture} does not exist; check the path")
    if image.isNull():
        raise OrderError("the avatar picture cannot be read as an image; give a PNG file")
    return image


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def receipt_pdf_bytes(order: Order, picture=None) -> bytes:
    """A one-or-more page A4 receipt: order number, date, the avatar picture, the lines, the total,
    fit notes and (with consent) the measurements."""
    pin_none()
    _ensure_qt()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

    image = load_picture(picture)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"Receipt {order.order_id}")
    writer.setCreator("fitting-room")

    px_per_mm = PDF_DPI / 25.4
    page = writer.pageLayout().fullRectPixels(PDF_DPI)
    width, height = page.width(), page.height()
    margin = PAGE_MARGIN_MM * px_per_mm
    left, right, bottom = margin, width - margin, height - margin
    row_h = ROW_H_MM * px_per_mm

    def font(points: float, bold: bool = False) -> QFont:
        f = QFont("DejaVu Sans")
        f.setStyleHint(QFont.StyleHint.SansSerif)
        f.setPointSizeF(points)
        f.setBold(bold)
        return f

    grey, ink, rule = QColor(110, 110, 110), QColor(20, 20, 20), QColor(190, 190, 190)
    painter = QPainter()
    if not painter.begin(writer):
        raise OrderError("cannot start the PDF receipt (Qt refused the painter); check the Qt installation")
    try:
        page_no = 1

        def text(x, y, w, h, s, f, colour=ink, align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter):
            painter.setFont(f)
            painter.setPen(colour)
            painter.drawText(QRectF(x, y, w, h), int(align), s)

        def footer():
            text(left, bottom, right - left, 6 * px_per_mm, f"Order {order.order_id} · page {page_no}",
                 font(8), grey, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        # Header: title, order number, date; the picture on the right.
        y = margin
        text(left, y, right - left, 12 * px_per_mm, "Receipt", font(22, True))
        y += 13 * px_per_mm
        text(left, y, 110 * px_per_mm, 7 * px_per_mm, "Virtual fitting room", font(10), grey)
        y += 10 * px_per_mm
        text(left, y, 110 * px_per_mm, 8 * px_per_mm, f"Order number  {order.order_id}", font(12, True))
        y += 8 * px_per_mm
        placed = order.created_at.strftime("%d %B %Y, %H:%M UTC")
        text(left, y, 110 * px_per_mm, 7 * px_per_mm, f"Placed  {placed}", font(10))
        y += 7 * px_per_mm
        count = sum(line.quantity for line in order.lines)
        text(left, y, 110 * px_per_mm, 7 * px_per_mm,
             f"{count} item{'s' if count != 1 else ''} · total {_money(order.total, order.currency)}", font(10))
        y += 10 * px_per_mm
        if image is not None:
            box = QRectF(right - PICTURE_W_MM * px_per_mm, margin, PICTURE_W_MM * px_per_mm, PICTURE_H_MM * px_per_mm)
            scale = min(box.width() / image.width(), box.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
            painter.setPen(QPen(rule, 0.3 * px_per_mm))
            painter.drawRect(box)
            y = max(y, box.bottom() + 8 * px_per_mm)

        # The lines, as a table; a new page when the next row would not fit.
        columns = [  # (title, width in mm, alignment)
            ("Item", 70.0, Qt.AlignmentFlag.AlignLeft), ("Size", 16.0, Qt.AlignmentFlag.AlignLeft),
            ("Colour", 26.0, Qt.AlignmentFlag.AlignLeft), ("Qty", 12.0, Qt.AlignmentFlag.AlignRight),
            ("Unit price", 24.0, Qt.AlignmentFlag.AlignRight), ("Line total", 26.0, Qt.AlignmentFlag.AlignRight),
        ]
        scale_x = (right - left) / (sum(c[1] for c in columns) * px_per_mm)
        xs = [left]
        for _, w_mm, _ in columns:
            xs.append(xs[-1] + w_mm * px_per_mm * scale_x)

        def table_header(y):
            for (title, _, align), x0, x1 in zip(columns, xs, xs[1:]):
                text(x0, y, x1 - x0 - 2 * px_per_mm, 7 * px_per_mm, title, font(9, True), grey,
                     align | Qt.AlignmentFlag.AlignVCenter)
            painter.setPen(QPen(ink, 0.3 * px_per_mm))
            painter.drawLine(int(left), int(y + 7.5 * px_per_mm), int(right), int(y + 7.5 * px_per_mm))
            return y + 9 * px_per_mm

        def new_page():
            nonlocal page_no
            footer()
            writer.newPage()
            page_no += 1
            return margin

        y = table_header(y)
        for line in order.lines:
            if y + row_h > bottom - 30 * px_per_mm:
                y = table_header(new_page())
            name_w = xs[1] - xs[0] - 2 * px_per_mm
            painter.setFont(font(10))
            name = painter.fontMetrics().elidedText(line.name, Qt.TextElideMode.ElideRight, int(name_w))
            text(xs[0], y, name_w, 6 * px_per_mm, name, font(10))
            painter.setFont(font(8))
            sku = painter.fontMetrics().elidedText(f"SKU {line.sku}", Qt.TextElideMode.ElideRight, int(name_w))
            text(xs[0], y + 5 * px_per_mm, name_w, 5 * px_per_mm, sku, font(8), grey)
            cells = [line.size, line.colour or "-", str(line.quantity), f"{line.unit_price:,.2f}",
                     f"{line.line_total:,.2f}"]
            for (_, _, align), x0, x1, cell in zip(columns[1:], xs[1:], xs[2:], cells):
                text(x0, y, x1 - x0 - 2 * px_per_mm, 6 * px_per_mm, cell, font(10), ink,
                     align | Qt.AlignmentFlag.AlignVCenter)
            painter.setPen(QPen(rule, 0.2 * px_per_mm))
            painter.drawLine(int(left), int(y + row_h - 1 * px_per_mm), int(right), int(y + row_h - 1 * px_per_mm))
            y += row_h

        text(xs[3], y + 1 * px_per_mm, right - xs[3] - 2 * px_per_mm, 8 * px_per_mm,
             f"Total  {_money(order.total, order.currency)}", font(12, True), ink,
             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        y += 14 * px_per_mm

        # Fit notes and, with consent, the measurements.
        paragraphs = []
        if order.fit_notes:
            paragraphs.append(("Fit notes", order.fit_notes))
        if order.measurements:
            values = ", ".join(f"{name.replace('_', ' ')} {value:g} {'kg' if name == 'body_mass' else 'cm'}"
                               for name, value in order.measurements.items())
            paragraphs.append(("Measurements, shared with your consent", values))
        for title, body in paragraphs:  # line by line, continued on new pages: nothing is dropped
            lines = layout_text(body, font(10), right - left, writer)
            first = lines[0][1].height() if lines else 0
            if y + 7 * px_per_mm + first > bottom:
                y = new_page()
            text(left, y, right - left, 7 * px_per_mm, title, font(10, True))
            y += 7 * px_per_mm
            painter.setPen(ink)
            for entry in lines:
                if y + entry[1].height() > bottom:
                    y = new_page()
                    painter.setPen(ink)
                y += draw_line(painter, entry, left, y)
            y += 6 * px_per_mm
        footer()
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
