from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Knowledge base")

    def ready(self):
        from . import pagecache, search_index
        from .versioning import register_models

        register_models()
        pagecache.connect_signals()
        search_index.connect_signals(self)
