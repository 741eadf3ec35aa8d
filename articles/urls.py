"""Reader URLs. Each names its view (``articles/views/``, a module per concern); a kind whose
pages need nothing special uses the generic EntryListView / EntryDetailView with its model,
which calls the model's QuerySet (``for_listing()`` / ``for_detail()`` in models.py)."""

from django.urls import path

from . import feeds
from . import models as m
from .pagecache import cached_page
from .views import founder_tools, history, lists, open_data, operations, records, reports, search

app_name = "articles"

urlpatterns = [
    path("", records.home, name="home"),
    path("healthz", operations.healthz, name="healthz"),
    path("favicon.ico", operations.favicon, name="favicon"),
    path("search/", search.search, name="search"),
    path("feeds/", cached_page()(feeds.LatestFeed()), name="feed"),
    path("feeds/tags/<str:slug>/", cached_page()(feeds.TagFeed()), name="tag-feed"),
    path("feeds/challenges/<slug:slug>/", cached_page()(feeds.ChallengeFeed()), name="challenge-feed"),
    path("feeds/changes/", cached_page()(feeds.ChangesFeed()), name="changes-feed"),
    path("feeds/<slug:slug>/", cached_page()(feeds.KindFeed()), name="kind-feed"),
    path("cases/", lists.CaseListView.as_view(), name="case-list"),
    path("cases/export.csv", open_data.CaseExportView.as_view(file_format="csv"), name="case-export-csv"),
    path("cases/export.json", open_data.CaseExportView.as_view(file_format="json"), name="case-export-json"),
    path("open-data/", open_data.OpenDataView.as_view(), name="open-data"),
    path("open-data/knowledge-base.json", open_data.knowledge_base_download, name="kb-download"),
    path("cases/<slug:slug>/", records.CaseDetailView.as_view(), name="case-detail"),
    path("self-check/", founder_tools.SelfCheckView.as_view(), name="self-check"),
    path("compare/", founder_tools.CompareView.as_view(), name="compare"),
    path("insights/", founder_tools.InsightsView.as_view(), name="insights"),
    path("insights/timeline/", founder_tools.CaseTimelineView.as_view(), name="case-timeline"),
    path("factors/", records.EntryListView.as_view(model=m.SuccessFactor), name="factor-list"),
    path("factors/<slug:slug>/", records.FactorDetailView.as_view(), name="factor-detail"),
    path("challenges/", records.EntryListView.as_view(model=m.Challenge), name="challenge-list"),
    path("challenges/<slug:slug>/", records.ChallengeDetailView.as_view(), name="challenge-detail"),
    path("strategies/", records.EntryListView.as_view(model=m.Strategy), name="strategy-list"),
    path(
        "strategies/<slug:slug>/", records.EntryDetailView.as_view(model=m.Strategy), name="strategy-detail"
    ),
    path("concepts/", records.GroupedListView.as_view(model=m.Concept, group_by="kind"), name="concept-list"),
    path("concepts/<slug:slug>/", records.EntryDetailView.as_view(model=m.Concept), name="concept-detail"),
    path("timeline/", records.TimelineView.as_view(), name="timeline"),
    path("advantages/", records.EntryListView.as_view(model=m.Advantage), name="advantage-list"),
    path(
        "advantages/<slug:slug>/", records.EntryDetailView.as_view(model=m.Advantage), name="advantage-detail"
    ),
    path("trends/", records.EntryListView.as_view(model=m.Trend), name="trend-list"),
    path("trends/<slug:slug>/", records.EntryDetailView.as_view(model=m.Trend), name="trend-detail"),
    path("advice/", records.GroupedListView.as_view(model=m.Advice, group_by="area"), name="advice-list"),
    path("advice/<slug:slug>/", records.EntryDetailView.as_view(model=m.Advice), name="advice-detail"),
    path("faq/", records.EntryListView.as_view(model=m.FAQ), name="faq-list"),
    path("faq/<slug:slug>/", records.EntryDetailView.as_view(model=m.FAQ), name="faq-detail"),
    path("resources/", lists.ResourceListView.as_view(), name="resource-list"),
    path("resources/<slug:slug>/", records.EntryDetailView.as_view(model=m.Resource), name="resource-detail"),
    path("tags/", records.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", records.tag_detail, name="tag-detail"),
    path("report/", reports.report, name="report"),
    path("report/thanks/", reports.report_thanks, name="report-thanks"),
    path("changes/", history.changes, name="changes"),
    path("history/<slug:prefix>/<slug:slug>/", history.record_history, name="record-history"),
]
