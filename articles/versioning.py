"""Version history: every record with its tags and child rows, so any edit can be reverted.

django-reversion stores a revision per admin save (and per load_kb run). A
record's version follows its tag links and the rows edited inline with it
(a case's success factors and lessons, a challenge's strategies), so
reverting restores them together; deleted records can be recovered from the
admin's "recover deleted" list.
"""

import reversion
from taggit.models import Tag, TaggedItem

from . import models as m

# Rows that belong to a record and are edited with it.
CHILDREN = {
    m.CaseStudy: ["case_factors", "lessons"],
    m.Challenge: ["mitigations"],
    m.Strategy: ["mitigations"],
}
ENTRY_MODELS = (
    m.Concept,
    m.Advantage,
    m.Advice,
    m.Strategy,
    m.Challenge,
    m.SuccessFactor,
    m.Resource,
    m.CaseStudy,
    m.Trend,
    m.FAQ,
)
CHILD_MODELS = (m.Mitigation, m.CaseFactor, m.Lesson)


def register_models():
    """Register every model once; must run before the admin's VersionAdmins are created."""
    # Tag links are followed, tags themselves are not: reverting one record must never
    # delete a tag that other records carry.
    registrations = [(Tag, []), (TaggedItem, [])]
    registrations += [(model, []) for model in CHILD_MODELS]
    registrations += [(model, ["tagged_items", *CHILDREN.get(model, [])]) for model in ENTRY_MODELS]
    for model, follow in registrations:
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
