"""What makes a source address citable: the rules an editor's source must pass.

A reader must be able to open the source and find the claim there, today and later. So an
address carries no tracking or referral parameters, a repository file is pinned to a tag or
commit (a branch moves under a dated claim), a paper is cited on its original site, and a
page that only reposts another publisher's article says so in its title or publisher.

The same rules run in the admin (``Source.clean``), in ``load_kb`` (which cleans every row)
and in the content tests, so a fixture that breaks one fails naming the case and the source.
"""

import re
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _

# Query parameters that only say who shared a link or where a click came from.
TRACKING_PARAMETER = re.compile(
    r"^(utm_\w+|ref|ref_src|ref_url|src|sh|rc|traffic_source|outputtype|from|spm|share|share_source|"
    r"fbclid|gclid|dclid|igshid|mc_cid|mc_eid|scm|_hsenc|_hsmi|mkt_tok|cmpid|ocid|xtor|wt\.mc_id|"
    r"isappinstalled|subch|sharer_shareid|sharer_sharetime|tt_from|share_token|smid|guccounter)$",
    re.IGNORECASE,
)

# Hosts whose repository or model files can be linked at a moving branch.
REPOSITORY_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "gitee.com")
MOVING_REFERENCE = re.compile(
    r"/(?:-/)?(?:blob|tree|raw|resolve|src)/(HEAD|main|master|dev|develop|latest)(?:/|$)"
)
RAW_MOVING_REFERENCE = re.compile(r"^/[^/]+/[^/]+/(HEAD|main|master)/")

# An arXiv identifier (2005.14165, 2405.04434v2) outside arxiv.org is a mirror.
ARXIV_ID = re.compile(r"(?<![\d.])\d{4}\.\d{4,5}(?:v\d+)?(?![\d.])")
PAPER_MIRROR_HOSTS = (
    "ar5iv.labs.arxiv.org",
    "ar5iv.org",
    "alphaxiv.org",
    "arxiv-export1.library.cornell.edu",
)

# Sites that republish other publishers' articles (aggregators, content farms, syndication).
# A source there is acceptable only when it says whose article it is (REPOST_LABEL).
REPOST_HOSTS = frozenset(
    {
        "yndtjj.com",
        "feihangsw.cn",
        "hk.outputnews.com",
        "iter01.com",
        "world.alpha-news.org",
        "www.world.alpha-news.org",
        "laitimes.com",
        "www.laitimes.com",
        "dignews.cc",
        "myzaker.com",
        "www.myzaker.com",
        "app.myzaker.com",
        "inkl.com",
        "www.inkl.com",
        "vuink.com",
        "newsio.com",
        "thepulse.press",
        "exbulletin.com",
        "articles.entireweb.com",
        "information.bz",
        "timesofupdate.com",
        "learnwithfaith.com",
        "newzone.eu",
        "trading.hk",
        "gmg.9fzt.com",
        "podms.com",
        "323ai.com",
        "bg3.co",
        "tianshuns.com",
        "wp.juanha.com",
        "www.fupanwang.com",
        "hitechexpert.top",
        "lingo.galtzhu.top",
        "tldr.takara.ai",
    }
)
REPOST_LABEL = re.compile(r"转载|转自|转引|[（(]转|repost|republish|syndicat|\bvia\b", re.IGNORECASE)


def url_problems(url):
    """What is wrong with ``url`` as a citation (translated sentences); [] when nothing is."""
    problems = []
    parts = urlsplit(url)
    host = parts.hostname or ""
    tracking = sorted(
        {
            key
            for key, _value in parse_qsl(parts.query, keep_blank_values=True)
            if TRACKING_PARAMETER.match(key)
        }
    )
    if tracking:
        problems.append(
            _("remove the tracking or referral parameters %(names)s from the address")
            % {"names": ", ".join(tracking)}
        )
    if any(host == h or host.endswith("." + h) for h in REPOSITORY_HOSTS) and MOVING_REFERENCE.search(
        parts.path
    ):
        problems.append(_("pin the repository link to a tag or commit, not a branch such as HEAD or main"))
    if host == "raw.githubusercontent.com" and RAW_MOVING_REFERENCE.match(parts.path):
        problems.append(_("pin the repository link to a tag or commit, not a branch such as HEAD or main"))
    if host in PAPER_MIRROR_HOSTS or (
        ARXIV_ID.search(parts.path)
        and "arxiv" in host
        and host not in ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
    ):
        problems.append(_("cite the paper on arxiv.org, not a mirror"))
    return problems


def is_repost_host(url):
    host = (urlsplit(url).hostname or "").lower()
    return host in REPOST_HOSTS or host.removeprefix("www.") in REPOST_HOSTS


def source_problems(title, publisher, url):
    """``url_problems`` plus: a page on a reposting site must name itself a repost."""
    problems = url_problems(url)
    if is_repost_host(url) and not REPOST_LABEL.search(f"{title} {publisher}"):
        problems.append(
            _("this site reposts other publishers: cite the original, or name it in the title (转载自 …)")
        )
    return problems
