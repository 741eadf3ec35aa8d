"""Admin for editors: every record kind, its links inline, tags editable, history revertible.

Every admin is a reversion ``VersionAdmin``: each save, add and delete is a
revision that the "History" page lists and can revert; deleted records are
listed under "Recover deleted …".
"""

import reversion
from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from . import models as m
from . import review, search_index
from .concurrency import ConcurrentEditForm
from .forms import TextAreaField
from .kinds import KINDS_BY_MODEL
from .params import MAX_TERMS, parse_ids
from .source_rules import source_problems

# Text areas keep LF line endings (untouched fields stay unchanged); compact ones in inline rows.
TEXT_FIELDS = {models.TextField: {"form_class": TextAreaField, "widget": forms.Textarea}}
INLINE_TEXT_FIELDS = {
    models.TextField: {
        "form_class": TextAreaField,
        "widget": forms.Textarea(attrs={"rows": 3, "cols": 48}),
    }
}


class BaseAdmin(VersionAdmin):
    """History for every admin, add forms that ignore malformed prefill parameters, and change
    forms that refuse to save over someone else's newer save (``articles.concurrency``)."""

    formfield_overrides = TEXT_FIELDS
    form = ConcurrentEditForm

    def get_changeform_initial_data(self, request):
        # "?concepts=abc" or "?concepts=²" would otherwise reach the autocomplete widget
        # and fail with a 500; relation prefills must be ids.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            values = value if isinstance(value, list) else [value]
            if field.is_relation and parse_ids(values) is None:
                del initial[name]
        return initial


class EntryForm(ConcurrentEditForm):
    """A record's change form, with the one-line summary of the change that the public history shows."""

    change_summary = forms.CharField(
        label=_("Summary of this change"),
        max_length=200,
        required=False,
        help_text=_(
            "One line for the public change history, e.g. “更新2026年融资与估值”; empty: the fields changed."
        ),
    )


class EntryAdmin(BaseAdmin):
    """What every record kind's admin shares."""

    form = EntryForm

    list_display = ("title", "slug", "source", "has_editor_note", "tag_list", "updated")
    list_filter = ("tags",)
    search_fields = ("title", "slug", "summary", "body", "tags__name")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("created", "updated")
    list_per_page = 50
    fieldsets_extra = ()
    numbered_by_editor = ()

    def get_fieldsets(self, request, obj=None):
        common = (None, {"fields": ("title", "slug", "summary", "body", "tags")})
        meta = (
            _("Source and corrections"),
            {"fields": ("source", "editor_note", "position", "created", "updated", "edit_base")},
        )
        extra = tuple((_("Details"), {"fields": fields}) for fields in self.fieldsets_extra)
        return (common, *extra, meta, (_("This change"), {"fields": ("change_summary",)}))

    def log_change(self, request, obj, message):
        """The revision's comment is the editor's summary when given (the public history shows it)."""
        entry = super().log_change(request, obj, message)
        summary = getattr(request, "change_summary", "")
        if summary and reversion.is_active():
            reversion.set_comment(summary)
        return entry

    def save_model(self, request, obj, form, change):
        request.change_summary = form.cleaned_data.get("change_summary", "").strip()
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_search_results(self, request, queryset, search_term):
        """Search the way readers do, on the full-text index (fast at any size), or by exact slug."""
        terms = search_term.split()[:MAX_TERMS]
        if not terms:
            return queryset, False
        matched = search_index.filter_matching(queryset, KINDS_BY_MODEL[self.model].key, terms)
        return queryset.filter(Q(pk__in=matched.values("pk")) | Q(slug=search_term.strip())), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            field.widget.attrs.update(size=80)
            field.help_text = _(
                "Comma-separated, e.g. 数据隐私, 自然语言处理. Use quotes for a tag with spaces."
            )
        return field

    def save_related(self, request, form, formsets, change):
        """Number inline rows 1, 2, 3 … in their order; a row left at 0 goes to the end.

        Rows whose number others refer to (a case's sources, cited as [n]) keep the editor's numbers.
        """
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            model = formset.model
            if model in self.numbered_by_editor:
                continue
            rows = model.objects.filter(**{formset.fk.name: form.instance})
            ordered = sorted(rows, key=lambda row: (row.position or float("inf"), row.pk))
            for number, row in enumerate(ordered, start=1):
                if row.position != number:
                    model.objects.filter(pk=row.pk).update(position=number)

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description=_("editor's note"), boolean=True)
    def has_editor_note(self, obj):
        return bool(obj.editor_note)


@admin.register(m.Concept)
class ConceptAdmin(EntryAdmin):
    list_display = ("title", "name_en", "kind", "year", "slug", "has_editor_note", "updated")
    list_filter = ("kind", "tags")
    search_fields = (*EntryAdmin.search_fields, "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets_extra = (("name_en", "kind", "year", "year_is_decade"),)


@admin.register(m.Advice)
class AdviceAdmin(EntryAdmin):
    list_display = ("title", "area", "slug", "has_editor_note", "updated")
    list_filter = ("area", "tags")
    fieldsets_extra = (("area",),)


class RowInline:
    """Child rows edited on their record: compact text areas, one empty row to add."""

    formfield_overrides = INLINE_TEXT_FIELDS
    extra = 1


class RowAdmin(BaseAdmin):
    """A child row's own list (it is also edited inline on its record), by the records it links."""

    links = ()  # its foreign keys: shown, fetched with the rows, chosen by autocomplete
    columns = ()  # shown before the links

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.list_display = (*cls.columns, *cls.links, "position")
        cls.autocomplete_fields = cls.list_select_related = cls.links


class MitigationInline(RowInline, admin.TabularInline):
    model = m.Mitigation
    autocomplete_fields = ("strategy",)
    fields = ("strategy", "how", "position")


class StrategyMitigationInline(MitigationInline):
    autocomplete_fields = ("challenge",)
    fields = ("challenge", "how", "position")
    verbose_name_plural = _("challenges it mitigates")


@admin.register(m.Strategy)
class StrategyAdmin(EntryAdmin):
    list_display = ("title", "slug", "challenge_list", "source", "has_editor_note", "updated")
    list_filter = ("challenges", "tags")
    autocomplete_fields = ("advice",)
    inlines = (StrategyMitigationInline,)
    fieldsets_extra = (("advice",),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("challenges")

    @admin.display(description=_("challenges"))
    def challenge_list(self, obj):
        return ", ".join(challenge.title for challenge in obj.challenges.all())


@admin.register(m.Challenge)
class ChallengeAdmin(EntryAdmin):
    inlines = (MitigationInline,)


@admin.register(m.Mitigation)
class MitigationAdmin(RowAdmin):
    links = ("challenge", "strategy")
    list_filter = ("challenge",)
    search_fields = ("challenge__title", "strategy__title", "how")


class CaseFactorInline(RowInline, admin.TabularInline):
    model = m.CaseFactor
    autocomplete_fields = ("factor",)
    fields = ("factor", "explanation", "position")


class LessonInline(RowInline, admin.StackedInline):
    model = m.Lesson
    autocomplete_fields = ("challenge",)
    fields = ("title", "body", "challenge", "position")


class CitableSourceForm(forms.ModelForm):
    """A source's address must be citable (``articles.source_rules``). Checked when the
    address, title or publisher is entered or changed, so an editor fixing something else on
    a case is not stopped by an older row; the content tests check every shipped row."""

    def clean(self):
        cleaned = super().clean()
        if {"url", "title", "publisher"} & set(self.changed_data) and cleaned.get("url"):
            problems = source_problems(cleaned.get("title", ""), cleaned.get("publisher", ""), cleaned["url"])
            if problems:
                self.add_error("url", problems)
        return cleaned


class SourceInline(RowInline, admin.TabularInline):
    model = m.Source
    form = CitableSourceForm
    fields = ("position", "title", "publisher", "url", "date", "kind")
    verbose_name_plural = _(
        "sources (numbered: milestones, key figures and the body cite them as [1], [2] …)"
    )


class MilestoneInline(RowInline, admin.TabularInline):
    model = m.Milestone
    fields = ("date", "kind", "title", "source", "position")


class KeyFigureInline(RowInline, admin.TabularInline):
    model = m.KeyFigure
    fields = ("label", "metric", "value", "unit", "as_of", "source", "position")


@admin.register(m.CaseStudy)
class CaseStudyAdmin(EntryAdmin):
    list_display = (
        "title",
        "organisation",
        "outcome",
        "region",
        "layer",
        "founded_year",
        "last_verified",
        "updated",
    )
    list_filter = ("outcome", "region", "layer", "access", "factors", "tags")
    search_fields = (*EntryAdmin.search_fields, "organisation", "product", "founders", "aliases")
    autocomplete_fields = ("concepts",)
    inlines = (SourceInline, MilestoneInline, KeyFigureInline, CaseFactorInline, LessonInline)
    fieldsets_extra = (
        (
            "organisation",
            "product",
            "aliases",
            "founders",
            "founded_year",
            "founded_month",
            "hq_city",
            "hq_country",
        ),
        ("region", "layer", "access", "sectors", "customers", "outcome", "outcome_date", "outcome_note"),
        ("disagreements", "last_verified", "concepts"),
    )

    numbered_by_editor = (m.Source,)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in form.instance.integrity_problems():
            self.message_user(
                request, _("Check the sources: this case %(problem)s.") % {"problem": problem}, "warning"
            )


@admin.register(m.CaseFactor)
class CaseFactorAdmin(RowAdmin):
    links = ("case", "factor")
    list_filter = ("factor",)
    search_fields = ("case__title", "factor__title", "explanation")


@admin.register(m.Lesson)
class LessonAdmin(RowAdmin):
    columns = ("title",)
    links = ("case", "challenge")
    list_filter = links
    search_fields = ("title", "body", "case__title", "challenge__title")


@admin.register(m.Trend)
class TrendAdmin(EntryAdmin):
    list_filter = ("challenges", "tags")
    autocomplete_fields = ("challenges", "concepts")
    fieldsets_extra = (("challenges", "concepts"),)


@admin.register(m.Resource)
class ResourceAdmin(EntryAdmin):
    list_display = ("title", "kind", "authors", "year", "slug", "has_editor_note", "updated")
    list_filter = ("kind", "tags")
    search_fields = (*EntryAdmin.search_fields, "authors")
    autocomplete_fields = ("concepts",)
    fieldsets_extra = (("kind", "authors", "year", "url", "concepts"),)


class SourceAdminForm(CitableSourceForm, ConcurrentEditForm):
    """A source edited on its own page: citable, and not saved over a newer version."""


@admin.register(m.Source)
class SourceAdmin(RowAdmin):
    form = SourceAdminForm
    columns = ("title", "publisher", "kind", "check_status", "checked_at")
    readonly_fields = ("checked_at", "check_status", "final_url", "check_error")
    links = ("case",)
    list_filter = ("kind",)
    search_fields = ("title", "publisher", "url", "case__title")


@admin.register(m.Milestone)
class MilestoneAdmin(RowAdmin):
    columns = ("date", "kind", "title")
    links = ("case",)
    list_filter = ("kind",)
    search_fields = ("title", "date", "case__title")


@admin.register(m.KeyFigure)
class KeyFigureAdmin(RowAdmin):
    columns = ("label", "value", "unit", "as_of")
    links = ("case",)
    search_fields = ("label", "value", "case__title")


# Kinds whose admin needs nothing beyond what every record has.
admin.site.register([m.Advantage, m.SuccessFactor, m.FAQ], EntryAdmin)


@admin.register(m.SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """The search synonyms: a query for any word of a group finds the others (articles/synonyms.py)."""

    list_display = ("__str__", "note")
    search_fields = ("words", "note")


@admin.register(m.ReaderReport)
class ReaderReportAdmin(admin.ModelAdmin):
    """Readers' reports, newest first; an editor sets each one's status as it is handled."""

    list_display = ("created", "kind", "status", "record_link", "short_message", "source_url", "contact")
    list_filter = ("status", "kind")
    list_editable = ("status",)
    search_fields = ("message", "contact", "source_url")
    readonly_fields = ("created", "kind", "record_link", "message", "source_url", "contact")
    fields = ("created", "kind", "record_link", "message", "source_url", "contact", "status")
    list_select_related = ("content_type",)

    def has_add_permission(self, request):
        return False  # reports come from readers

    @admin.display(description=_("record"))
    def record_link(self, obj):
        record = obj.record
        if record is None:
            return "—"
        url = reverse(f"admin:articles_{obj.content_type.model}_change", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.title)

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return Truncator(obj.message).chars(80)


@admin.register(m.ReviewQueue)
class ReviewQueueAdmin(admin.ModelAdmin):
    """待复核: one page of what needs attention, most urgent first (``articles.review``); each row
    links to the change form that fixes it. "Verified today" marks the chosen cases checked,
    in a revision that records who did it and when."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_casestudy")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_casestudy")

    def get_urls(self):
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name="articles_reviewqueue_changelist")
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            ids = parse_ids(request.POST.getlist("case")) or []
            today = timezone.localdate()
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(_("Marked verified on %(date)s") % {"date": today.isoformat()})
                cases = list(m.CaseStudy.objects.filter(pk__in=ids))
                for case in cases:
                    case.last_verified = today
                    case.save()
            self.message_user(request, _("%(count)d cases marked verified today.") % {"count": len(cases)})
            return redirect(request.path)
        items, sections = review.queue()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "items": items,
            "sections": sections,
            "opts": self.model._meta,
            "can_verify": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/articles/review_queue.html", context)
