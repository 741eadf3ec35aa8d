from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", views.search, name="search"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("factors/", views.FactorListView.as_view(), name="factor-list"),
    path("factors/<slug:slug>/", views.FactorDetailView.as_view(), name="factor-detail"),
    path("challenges/", views.ChallengeListView.as_view(), name="challenge-list"),
    path("challenges/<slug:slug>/", views.ChallengeDetailView.as_view(), name="challenge-detail"),
    path("strategies/", views.StrategyListView.as_view(), name="strategy-list"),
    path("strategies/<slug:slug>/", views.StrategyDetailView.as_view(), name="strategy-detail"),
    path("concepts/", views.ConceptListView.as_view(), name="concept-list"),
    path("concepts/<slug:slug>/", views.ConceptDetailView.as_view(), name="concept-detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("advantages/", views.AdvantageListView.as_view(), name="advantage-list"),
    path("advantages/<slug:slug>/", views.AdvantageDetailView.as_view(), name="advantage-detail"),
    path("trends/", views.TrendListView.as_view(), name="trend-list"),
    path("trends/<slug:slug>/", views.TrendDetailView.as_view(), name="trend-detail"),
    path("advice/", views.AdviceListView.as_view(), name="advice-list"),
    path("advice/<slug:slug>/", views.AdviceDetailView.as_view(), name="advice-detail"),
    path("faq/", views.FAQListView.as_view(), name="faq-list"),
    path("faq/<slug:slug>/", views.FAQDetailView.as_view(), name="faq-detail"),
    path("resources/", views.ResourceListView.as_view(), name="resource-list"),
    path("resources/<slug:slug>/", views.ResourceDetailView.as_view(), name="resource-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
]
