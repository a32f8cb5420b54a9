"""Placed orders sent to the shop in the background, and what each delivery report tells the shopper."""

from __future__ import annotations

from avatar.errors import UserError

from .banner import Banner, error_text


def start_delivery(on_report, banner: Banner):
    """The running delivery worker (``app.orders.delivery.DeliveryWorker``) when ``config.json`` names the
    shop's endpoint, else None: orders then stay in the local store (and its outbox) until one is set.

    ``on_report(DeliveryReport)`` is called on the delivery thread; a broken endpoint is told in ``banner``.
    """
    from app.orders.delivery import DeliveryWorker, NoEndpointError, resolve_endpoint

    try:
        endpoint = resolve_endpoint()
        worker = DeliveryWorker(endpoint, on_report=on_report)  # opens the store
    except NoEndpointError:
        return None
    except UserError as exc:  # a config.json that names a broken endpoint
        banner.show_error(error_text(exc))
        return None
    return worker.start()


def show_report(banner: Banner, report) -> None:
    """Tell the shopper what a ``DeliveryReport`` means for their orders (nothing when it is empty)."""
    if report.delivered:
        banner.show_success(f"Order {', '.join(report.delivered)} sent to the shop")
    elif report.rejected:
        banner.show_error(f"The shop refused order {', '.join(report.rejected)}; staff can send it again "
                          "with 'fitting-room order deliver --retry-rejected'")
    elif report.retrying:
        banner.show_info(f"The shop cannot be reached; order {', '.join(report.retrying)} is kept and "
                         "will be sent automatically")
    elif "*" in report.errors:  # the order store itself could not be used (full disk, read-only folder)
        banner.show_error(f"Orders cannot be sent now: {report.errors['*']}")
