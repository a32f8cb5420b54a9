"""Orders: carts priced from the catalog, a crash-safe local store, exports and delivery to a shop.

Qt is imported only when a PDF receipt is made (``export.receipt_pdf_bytes``).
"""

from .model import Cart, CartItem, Order, OrderError, OrderLine, build_order, load_cart, parse_cart, price_cart
from .store import OrderStore

__all__ = [
    "Cart", "CartItem", "Order", "OrderError", "OrderLine", "OrderStore",
    "build_order", "load_cart", "parse_cart", "price_cart",
]
