from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Knowledge base")

    def ready(self):
        from .pagecache import connect_signals
        from .versioning import register_models

        register_models()
        connect_signals()
