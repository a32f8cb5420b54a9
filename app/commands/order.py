"""``fitting-room order``: place orders from a cart, list, show and export them, deliver them to a shop.

    fitting-room order place --cart CART.json [--consent --measurements FILE] [--notes TEXT]
                             [--avatar-picture PNG] [--json]
    fitting-room order list [--limit N] [--json]
    fitting-room order show ORDER_ID [--json]
    fitting-room order export ORDER_ID --format json|csv|pdf --out PATH [--avatar-picture PNG] [--force]
    fitting-room order deliver [--endpoint URL] [--max-wait SECONDS] [--retry-rejected] [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    parser = sub.add_parser("order", help="place, list, export and deliver orders")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    place = actions.add_parser("place", help="price a cart from the catalog and store it as an order")
    place.add_argument("--cart", type=Path, required=True, metavar="CART.json",
                       help='{"items": [{"garment": ID, "size": S, "colour": optional, "quantity": N}]}')
    place.add_argument("--consent", action="store_true",
                       help="the shopper agrees to share their measurements with the shop")
    place.add_argument("--measurements", type=Path, metavar="FILE",
                       help="measurements JSON kept with the order (only with --consent)")
    place.add_argument("--notes", metavar="TEXT", help="fit notes for the shop")
    place.add_argument("--avatar-picture", type=Path, metavar="PNG", help="picture of the avatar for the receipt")
    place.add_argument("--json", action="store_true", help="print the order as JSON")
    place.set_defaults(func=run_place)

    listing = actions.add_parser("list", help="the stored orders, newest first")
    listing.add_argument("--limit", type=int, metavar="N", help="at most N orders")
    listing.add_argument("--json", action="store_true", help="print a JSON list of orders")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="one order")
    show.add_argument("order_id", metavar="ORDER_ID")
    show.add_argument("--json", action="store_true", help="print the order as JSON")
    show.set_defaults(func=run_show)

    export = actions.add_parser("export", help="write an order as JSON, CSV or a PDF receipt")
    export.add_argument("order_id", metavar="ORDER_ID")
    export.add_argument("--format", required=True, choices=("json", "csv", "pdf"))
    export.add_argument("--out", type=Path, required=True, metavar="PATH")
    export.add_argument("--avatar-picture", type=Path, metavar="PNG",
                        help="picture for the receipt instead of the one kept with the order")
    export.add_argument("--force", action="store_true", help="replace PATH if it exists")
    export.set_defaults(func=run_export)

    deliver = actions.add_parser("deliver", help="send pending orders to the shop's endpoint")
    deliver.add_argument("--endpoint", metavar="URL", help='shop URL (default: "order_endpoint" in config.json)')
    deliver.add_argument("--max-wait", type=float, default=0.0, metavar="SECONDS",
                         help="keep retrying failed orders on their backoff schedule this long (default 0)")
    deliver.add_argument("--retry-rejected", action="store_true",
                         help="send orders the shop refused before once more")
    deliver.add_argument("--json", action="store_true", help="print what happened as JSON")
    deliver.set_defaults(func=run_deliver)


def _read_picture(path: Path | None) -> bytes | None:
    from app.orders.errors import OrderError
    from app.orders.picture import check_picture

    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OrderError(f"cannot read avatar picture {path} ({exc.strerror or exc}); check the path") from None
    check_picture(data)
    return data


def run_place(args) -> int:
    from app.orders.export import order_json_text
    from app.orders.cart import load_cart
    from app.orders.pricing import build_order, load_measurements
    from app.orders.store import OrderStore

    cart = load_cart(args.cart)
    measurements = load_measurements(args.measurements) if args.measurements is not None else None
    picture = _read_picture(args.avatar_picture)
    # Everything is checked (cart against the catalog, consent, picture) before the store is opened.
    order = build_order(cart, consent=args.consent, measurements=measurements, fit_notes=args.notes)
    order = OrderStore().add_new(order, picture)
    if args.json:
        sys.stdout.write(order_json_text(order))
    else:
        print(f"placed {order.order_id}: {sum(line.quantity for line in order.lines)} item(s), "
              f"total {order.total:.2f} {order.currency}")
    return 0


def run_list(args) -> int:
    from app.orders.export import orders_json_text
    from app.orders.errors import OrderError
    from app.orders.store import OrderStore
    from app.terminal import printable

    if args.limit is not None and args.limit < 1:
        raise OrderError(f"--limit {args.limit} must be at least 1")
    store = OrderStore()
    orders, problems = store.list_readable(limit=args.limit)
    for order_id, problem in problems.items():  # one damaged order never hides the others
        print(f"warning: order {printable(order_id)} left out: {printable(problem)}", file=sys.stderr)
    if args.json:
        sys.stdout.write(orders_json_text(orders))
        return 0
    states = {entry.order_id: entry.state for entry in store.outbox()}
    for order in orders:
        count = sum(line.quantity for line in order.lines)
        print(f"{order.order_id}  {order.created_at_iso}  {count:3d} item(s)  {order.total:>10.2f} {order.currency}"
              f"  {states.get(order.order_id, '')}")
    if not orders and not problems:
        print("no orders yet", file=sys.stderr)
    return 0


def run_show(args) -> int:
    from app.orders.export import order_json_text
    from app.orders.store import OrderStore
    from app.terminal import printable

    order = OrderStore().get(args.order_id)
    if args.json:
        sys.stdout.write(order_json_text(order))  # JSON escapes every control character itself
        return 0
    print(f"order {order.order_id}, placed {order.created_at_iso}")
    for line in order.lines:
        colour = f" {line.colour}" if line.colour else ""
        print(printable(f"  {line.quantity} x {line.name} ({line.size}{colour}, SKU {line.sku})  "
                        f"{line.unit_price:.2f}  {line.line_total:.2f} {order.currency}"))
    print(f"  total {order.total:.2f} {order.currency}")
    if order.fit_notes:
        print(f"  fit notes: {printable(order.fit_notes)}")
    if order.measurements:
        print(f"  measurements (shared with consent): {json.dumps(order.measurements)}")
    return 0


def run_export(args) -> int:
    from app.orders.export import export_order
    from app.orders.store import OrderStore

    store = OrderStore()
    order = store.get(args.order_id)
    picture = None
    if args.format == "pdf":
        picture = _read_picture(args.avatar_picture) or store.picture(order.order_id)
    out = export_order(order, args.format, args.out, picture=picture, overwrite=args.force)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def run_deliver(args) -> int:
    from app.orders.delivery import deliver_until_done, resolve_endpoint
    from app.orders.errors import OrderError
    from app.orders.store import OrderStore
    from app.terminal import printable

    if args.max_wait < 0:
        raise OrderError(f"--max-wait {args.max_wait} must not be negative")
    endpoint = resolve_endpoint(args.endpoint)
    store = OrderStore()
    if args.retry_rejected:
        store.requeue_rejected()
    report = deliver_until_done(store, endpoint, max_wait_s=args.max_wait)
    rejected = [entry.order_id for entry in store.outbox(("rejected",))]
    for entry in store.outbox(("pending", "rejected")):
        if entry.last_error:
            report.errors.setdefault(entry.order_id, entry.last_error)
    if args.json:
        print(json.dumps({**report.to_json(), "rejected": rejected}, indent=2))
    else:
        for order_id in report.delivered:
            print(f"delivered {order_id}")
        for order_id in report.retrying:
            print(printable(f"pending   {order_id}  {report.errors.get(order_id, '')}".rstrip()))
        for order_id in rejected:
            print(printable(f"rejected  {order_id}  {report.errors.get(order_id, '')}".rstrip()))
        if not (report.delivered or report.retrying or rejected):
            print("nothing to deliver", file=sys.stderr)
    return 0 if not (report.retrying or rejected) else 1
