"""The client address for the admin lockout, behind a known number of proxies or none."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The address the outermost of our own proxies saw, or the connection's address.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so with ``TRUSTED_PROXY_COUNT = N`` the N-th entry from the
    right was written by our outermost proxy: that is the client. Entries to its
    left come from the client itself and are never trusted. With no proxies the
    header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote
