"""Reader-facing pages, a module per concern:

* :mod:`.records`: the home page, every kind's list and record pages, the timeline and tags;
* :mod:`.lists`: the faceted lists (cases, resources), on :mod:`articles.listings`;
* :mod:`.founder_tools`: the self-check, the comparison, the charts and the case timeline;
* :mod:`.open_data`: the downloads and the open-data page;
* :mod:`.search`: search;
* :mod:`.operations`: health check, robots.txt, favicon, language redirects;
* :mod:`.errors`: the error pages (400, 403, 404, 405, 500, 503);
* :mod:`.base`: what they share (read-only views, page titles, paging).

Each view names its queryset (``models.py``) and says whether its pages are page-cached
(``cached_page``, :mod:`articles.pagecache`).
"""
