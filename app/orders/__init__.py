"""Orders: carts priced from the catalog, a crash-safe local store, exports and delivery to a shop.

Qt is imported only when a PDF receipt is made (``export.receipt_pdf_bytes``).
"""

from .cart import Cart, CartItem, load_cart, parse_cart
from .errors import OrderError
from .model import Order, OrderLine
from .pricing import build_order, price_cart
from .store import OrderStore

__all__ = [
    "Cart", "CartItem", "Order", "OrderError", "OrderLine", "OrderStore",
    "build_order", "load_cart", "parse_cart", "price_cart",
]
