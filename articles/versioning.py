"""Version history: every record with its tags and child rows, so any edit can be reverted.

django-reversion stores a revision per admin save (and per record that
load_kb changes). A record's version follows its tag links and the rows edited
inline with it (each kind's ``versioned_children`` in :mod:`articles.kinds`),
so reverting restores them together; deleted records can be recovered from the
admin's "recover deleted" list. :func:`register_models` is the one place that
registers models with reversion; the app's ``ready()`` calls it, before the
admin's VersionAdmins are created.
"""

import reversion
from taggit.models import Tag, TaggedItem

from .kinds import KINDS, child_models


def register_models():
    """Register every versioned model once."""
    # Tag links are followed, tags themselves are not: reverting one record must never
    # delete a tag that other records carry.
    registrations = [(Tag, []), (TaggedItem, [])]
    registrations += [(model, []) for model in child_models()]
    registrations += [(kind.model, ["tagged_items", *kind.versioned_children]) for kind in KINDS]
    for model, follow in registrations:
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
