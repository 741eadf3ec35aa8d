"""Generate synthetic case studies for query-count tests and benchmarks.

Synthetic records are marked by the slug prefix ``synthetic-``. They link to
the real success factors, challenges and tags (so list pages, facets and
challenge pages grow as they would with real data) but no real record is ever
changed. ``--remove`` deletes every synthetic record again.
"""

import random

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from articles import models as m
from articles import search_index
from articles.kinds import KINDS_BY_MODEL
from articles.pagecache import bulk_change, bump

PREFIX = "synthetic-"
BATCH = 2000


class Command(BaseCommand):
    help = "Create N synthetic case studies with factors, lessons and tags (slug prefix 'synthetic-')."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=500, help="number of case studies to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--remove", action="store_true", help="delete all synthetic records instead")

    def handle(self, *args, cases, seed, remove, **options):
        content_type = ContentType.objects.get_for_model(m.CaseStudy)
        if remove:
            with transaction.atomic(), bulk_change():
                synthetic = m.CaseStudy.objects.filter(slug__startswith=PREFIX)
                ids = list(synthetic.values_list("pk", flat=True))
                # Plain DELETEs, not Django's collector: it would load every row to send signals
                # (and synthetic cases have no history, links from other records or files).
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start : start + BATCH]
                    for model in (m.CaseFactor, m.Lesson, m.Source, m.Milestone, m.KeyFigure):
                        model.objects.filter(case_id__in=chunk)._raw_delete(model.objects.db)
                    tags = TaggedItem.objects.filter(content_type=content_type, object_id__in=chunk)
                    tags._raw_delete(tags.db)
                    search_index.unindex_many(KINDS_BY_MODEL[m.CaseStudy], chunk)
                    cases = m.CaseStudy.objects.filter(pk__in=chunk)
                    cases._raw_delete(cases.db)
                deleted = len(ids)
                bump()
            self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} synthetic rows."))
            return
        if cases < 1 or cases > 100_000:
            raise CommandError("--cases must be between 1 and 100000.")
        factors = list(m.SuccessFactor.objects.all())
        challenges = list(m.Challenge.objects.all())
        tags = list(Tag.objects.all())
        if not factors or not challenges or not tags:
            raise CommandError("Load the knowledge base first (manage.py load_kb).")
        rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
        start = m.CaseStudy.objects.filter(slug__startswith=PREFIX).count()
        with transaction.atomic():
            created = m.CaseStudy.objects.bulk_create(
                [
                    m.CaseStudy(
                        slug=f"{PREFIX}case-{start + i}",
                        title=f"合成案例 {start + i}",
                        organisation=f"合成公司 {start + i}",
                        product="合成产品",
                        summary="用于测试和基准的合成案例。",
                        body="这是一个**合成**案例，用于测试查询数量和性能。",
                        body_html="<p>这是一个<strong>合成</strong>案例，用于测试查询数量和性能。</p>",
                        source="synthetic",
                        position=1000 + start + i,
                        founded_year=rng.randint(2010, 2025),
                        region=rng.choice(m.CaseStudy.Region.values),
                        outcome=rng.choice([o for o in m.CaseStudy.Outcome.values if o != "illustrative"]),
                        layer=rng.choice(m.CaseStudy.Layer.values),
                        access=rng.choice(m.CaseStudy.Access.values),
                    )
                    for i in range(cases)
                ],
                batch_size=BATCH,
            )
            case_factors, lessons, tagged, sources, milestones, figures = [], [], [], [], [], []
            for case in created:
                for number in (1, 2):
                    sources.append(
                        m.Source(
                            case=case,
                            title=f"合成来源 {number}",
                            url=f"https://example.com/synthetic/{case.slug}/{number}",
                            kind=rng.choice(m.Source.Kind.values),
                            position=number,
                        )
                    )
                milestones.append(
                    m.Milestone(
                        case=case, date=str(case.founded_year), kind="founding", title="成立", source=1
                    )
                )
                figures.append(
                    m.KeyFigure(case=case, label="融资", value="1亿", unit="美元", source=2, position=1)
                )
                for position, factor in enumerate(rng.sample(factors, k=min(3, len(factors))), start=1):
                    case_factors.append(
                        m.CaseFactor(case=case, factor=factor, explanation="合成说明。", position=position)
                    )
                for position, challenge in enumerate(rng.sample(challenges, k=2), start=1):
                    lessons.append(
                        m.Lesson(
                            case=case,
                            title=f"合成教训 {position}",
                            body="合成内容。",
                            challenge=challenge,
                            position=position,
                        )
                    )
                tagged.append((case, rng.sample(tags, k=min(3, len(tags)))))
            for model, rows in (
                (m.CaseFactor, case_factors),
                (m.Lesson, lessons),
                (m.Source, sources),
                (m.Milestone, milestones),
                (m.KeyFigure, figures),
            ):
                model.objects.bulk_create(rows, batch_size=BATCH)
            TaggedItem.objects.bulk_create(
                [
                    TaggedItem(content_type=content_type, object_id=case.pk, tag=tag)
                    for case, case_tags in tagged
                    for tag in case_tags
                ],
                batch_size=BATCH,
            )
            # bulk_create sends no signals: index the new cases and change the content version.
            # The text search would read for each case, written straight away (no re-reading).
            texts = {
                case.pk: [case.title, case.summary, case.body, case.organisation, case.product]
                for case in created
            }
            for row in case_factors:
                texts[row.case.pk].append(row.explanation)
            for row in lessons:
                texts[row.case.pk].extend([row.title, row.body])
            for case, case_tags in tagged:
                texts[case.pk].extend(tag.name for tag in case_tags)
            search_index.write_rows(
                KINDS_BY_MODEL[m.CaseStudy], [(pk, "\n".join(parts)) for pk, parts in texts.items()]
            )
            bump()
            # Fresh statistics after a bulk load, or the planner misjudges the new tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Created {len(created)} synthetic case studies."))
