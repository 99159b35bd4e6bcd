"""What the hall shows the public about a ticket, by the query code its holder scanned.

    from hall.public import PublicLookup
    lookup = PublicLookup(hall.desk)
    status = lookup.status("JK7ABCDEFGHJ")     # a PublicStatus, or None for any code not genuine

See :mod:`hall.public.status`. The web page behind the ticket's QR code (:mod:`web`) reads
through this package only.
"""

from __future__ import annotations

from hall.public.status import PublicCase, PublicLookup, PublicStatus

__all__ = ["PublicCase", "PublicLookup", "PublicStatus"]
