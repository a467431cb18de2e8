"""`critmin add`: the five raw source documents, HTML pages and feeds served on 127.0.0.1, bad input.

No network: pages and feeds come from a local http.server started here (127.0.0.1 only). The CLI
runs in-process (conftest.critmin: the real entry point, its exit statuses and error lines).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from conftest import critmin

from etl.ingest import fetch as fetch_mod
from etl.ingest.dedupe import jaccard, shingles
from etl.sources.seeds import read_article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
RAW = sorted((FIXTURES / "raw").glob("*.txt"))
WEB = FIXTURES / "web"
CURATED = ROOT / "seeds" / "articles"
_SENTENCE_END = re.compile(r"(?<=[.!?。?])\s+|\n+")


def sentences(body: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]


def run(*args: str) -> SimpleNamespace:
    """`critmin ARGS` in this process (conftest.critmin), as exit_code and output (stdout + stderr)."""
    result = critmin(*args, env={"COLUMNS": "400"})  # wide: typer's usage-error box must not wrap
    return SimpleNamespace(exit_code=result.returncode, output=result.stdout + result.stderr)


def articles(seeds: Path) -> dict[str, object]:
    out = {}
    for p in sorted((seeds / "articles").glob("*.md")):
        art = read_article(p, seeds, [])
        assert art is not None, p
        out[p.stem] = art
    return out


# ------------------------------------------------------------------------------ local web


class _Handler(BaseHTTPRequestHandler):
    base = ""
    routes = {
        "/view/2025/09/22/newsis-supply-chain.html": ("newsis-supply-chain.html", "text/html; charset=utf-8"),
        "/news/ainvest-posco-reelement.html": ("ainvest-posco-reelement.html", "text/html; charset=utf-8"),
        "/rss.xml": ("rss.xml", "application/rss+xml; charset=utf-8"),
        "/atom.xml": ("atom.xml", "application/atom+xml; charset=utf-8"),
    }

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (extra or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        if path in self.routes:
            name, ctype = self.routes[path]
            text = (WEB / name).read_text(encoding="utf-8").replace("{{BASE}}", self.base)
            return self._send(200, ctype, text.encode("utf-8"))
        if path == "/slow":
            time.sleep(3)
            return self._send(200, "text/html", b"<html><body><p>late</p></body></html>")
        if path == "/big":
            return self._send(200, "text/html", b"<html>", {"Content-Length": str(50 * 1024 * 1024)})
        if path == "/binary":
            return self._send(200, "application/octet-stream", b"\x00\x01\x02" * 100)
        if path == "/loop":
            return self._send(302, "text/html", b"", {"Location": "/loop"})
        if path == "/moved":
            return self._send(301, "text/html", b"", {"Location": "/news/ainvest-posco-reelement.html"})
        if path == "/broken-feed.xml":
            return self._send(200, "application/rss+xml", b"<?xml version='1.0'?><rss><channel><title>x</title><item><title>lith")
        return self._send(404, "text/html", b"<html><body>not found</body></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (time-out, size)
            super().handle_error(request, client_address)


@pytest.fixture
def web():
    server = _Server(("127.0.0.1", 0), _Handler)
    _Handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Handler.base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fast_timeouts(monkeypatch):
    monkeypatch.setattr(fetch_mod, "TIMEOUT", httpx.Timeout(connect=1.0, read=0.5, write=1.0, pool=1.0))


# ------------------------------------------------------------------------------ the five documents


def test_five_raw_documents_match_the_curated_bodies(tmp_path):
    assert len(RAW) == 5
    seeds = tmp_path / "s"
    result = run("add", *map(str, RAW), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    assert (seeds / "reference" / "minerals.yaml").is_file()  # a fresh folder gets the lexicons
    added = articles(seeds)
    curated = articles(ROOT / "seeds")
    assert len(added) == 5
    matched = set()
    for art in added.values():
        # each raw document's curated article: the one with the most shared word shingles
        best = max(curated.values(), key=lambda c: jaccard(shingles(c.body), shingles(art.body)))
        matched.add(best.meta["id"])
        cs = sentences(best.body)
        kept = [s for s in cs if s in art.body]
        lines = [ln for ln in art.body.splitlines() if ln.strip()]
        debris = [ln for ln in lines if ln not in best.body and not any(s in best.body for s in sentences(ln))]
        assert len(kept) / len(cs) >= 0.95, (art.meta["source_file"], [s for s in cs if s not in art.body])
        assert len(debris) / len(lines) <= 0.05, (art.meta["source_file"], debris)
        # every date written is right or unknown: never a wrong one
        ours, theirs = art.meta.get("published_on"), best.meta.get("published_on")
        if ours is not None:
            ours = ours if isinstance(ours, date) else date.fromisoformat(str(ours))
            theirs = theirs if isinstance(theirs, date) else date.fromisoformat(str(theirs))
            precision = art.meta["published_precision"]
            assert (ours.year, ours.month if precision != "year" else 0, ours.day if precision == "day" else 0) == \
                (theirs.year, theirs.month if precision != "year" else 0, theirs.day if precision == "day" else 0), art.meta
        else:
            assert art.meta["published_precision"] == "unknown"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", art.meta["id"]) and len(art.meta["id"]) <= 80
    assert len(matched) == 5  # five different curated articles
    by_source = {a.meta["source_file"]: a.meta for a in added.values()}
    assert str(by_source["000_a749218b54b31689.txt"]["published_on"]) == "2025-09-22"
    assert str(by_source["004_cec91bdab6848c0f.txt"]["published_on"]) == "2025-09-24"
    assert by_source["004_cec91bdab6848c0f.txt"]["ai_generated"] is True
    assert by_source["002_722a7c4dac84a6a5.txt"]["republished_from"] == "YTN"
    assert by_source["002_722a7c4dac84a6a5.txt"]["publisher"] == "Archyde"
    assert by_source["003_fccd74ec7937bcca.txt"]["publisher"] == "The Asia Business Daily"
    assert {m["language"] for m in by_source.values()} == {"ko", "en"}
    assert "published_on: 2025-09-22 (day)  [day '22일' in the lede with the photo stamp 2025.09.19]" in result.output
    assert "facts (extractor):" in result.output

    # the loader accepts what add wrote
    check = run("validate", "--seeds", str(seeds))
    assert check.exit_code == 0, check.output

    # a second run adds nothing and names the existing files
    again = run("add", *map(str, RAW), "--seeds", str(seeds))
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output
    assert again.output.count("already added: the same text is in articles/") == 5
    assert len(list((seeds / "articles").glob("*.md"))) == 5


def test_near_copy_refused_unless_forced(tmp_path):
    seeds = tmp_path / "s"
    raw = RAW[3].read_text(encoding="utf-8")
    assert run("add", str(RAW[3]), "--seeds", str(seeds)).exit_code == 0
    edited = tmp_path / "syndicated.txt"
    edited.write_text(raw.replace("is too slow", "is much too slow"), encoding="utf-8")
    result = run("add", str(edited), "--seeds", str(seeds))
    assert result.exit_code == 0
    assert re.search(r"near-copy of the-asia-business-daily-\S+ \(articles/\S+\.md\): word-shingle similarity 0\.9\d", result.output)
    assert len(list((seeds / "articles").glob("*.md"))) == 1
    forced = run("add", str(edited), "--seeds", str(seeds), "--force")
    assert forced.exit_code == 0 and "1 added" in forced.output
    ids = sorted(p.stem for p in (seeds / "articles").glob("*.md"))
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"  # a colliding id gets a suffix


def test_flags_override_what_the_page_states(tmp_path):
    seeds = tmp_path / "s"
    result = run("add", str(RAW[2]), "--seeds", str(seeds), "--id", "ytn-msp-meeting",
                 "--published-on", "2022-09", "--publisher", "YTN", "--language", "en")
    assert result.exit_code == 0, result.output
    meta = read_article(seeds / "articles" / "ytn-msp-meeting.md", seeds, []).meta
    assert (meta["publisher"], str(meta["published_on"]), meta["published_precision"]) == ("YTN", "2022-09-01", "month")
    assert "the --published-on flag" in result.output
    again = run("add", str(RAW[1]), "--seeds", str(seeds), "--id", "ytn-msp-meeting")
    assert again.exit_code == 1 and "already exists (nothing is overwritten)" in again.output
    bad = run("add", str(RAW[1]), "--seeds", str(seeds), "--published-on", "2025-02-30")
    assert bad.exit_code == 2 and "not a real date" in bad.output


def test_markdown_with_front_matter_is_validated_and_copied(tmp_path):
    seeds = tmp_path / "s"
    src = CURATED / "newsis-2025-09-22-korea-fills-us-supply-chain.md"
    result = run("add", str(src), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    copied = seeds / "articles" / src.name
    assert copied.read_bytes() == src.read_bytes()
    # no id in the front matter and a file name that is no slug: the id is derived
    no_id = tmp_path / "My Article.md"
    no_id.write_text(src.read_text(encoding="utf-8").replace("id: newsis-2025-09-22-korea-fills-us-supply-chain\n", "")
                     .replace("지난 18일", "18일"), encoding="utf-8")
    derived = run("add", str(no_id), "--seeds", str(seeds))
    assert derived.exit_code == 0 and "near-copy of newsis-2025-09-22-korea-fills-us-supply-chain" in derived.output
    derived = run("add", str(no_id), "--seeds", str(seeds), "--force")
    assert derived.exit_code == 0, derived.output
    assert (seeds / "articles" / "newsis-2025-09-22-mei-gonggeubmang-hangugi-meunda-jeonlyaggwangmul-sojae.md").is_file()
    assert run("validate", "--seeds", str(seeds)).exit_code == 0
    broken = tmp_path / "broken.md"
    broken.write_text(src.read_text(encoding="utf-8").replace("published_on: 2025-09-22", "published_on: 2025-02-30")
                      .replace("id: newsis-2025-09-22-korea-fills-us-supply-chain\n", ""), encoding="utf-8")
    bad = run("add", str(broken), "--seeds", str(seeds))
    assert bad.exit_code == 1
    assert re.search(r"error: \S*broken\.md: front matter field published_on: .*not a real ISO date", bad.output)


# ------------------------------------------------------------------------------ HTML and feeds


def test_html_page_from_a_url(tmp_path, web):
    seeds = tmp_path / "s"
    url = f"{web}/view/2025/09/22/newsis-supply-chain.html"
    result = run("add", url, "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    (art,) = articles(seeds).values()
    meta = art.meta
    assert meta["title"] == "美 공급망, 한국이 메운다…전략광물·소재 협력 확대"
    assert meta["publisher"] == "Newsis"
    assert str(meta["published_on"]) == "2025-09-22" and meta["published_precision"] == "day"
    assert meta["url"] == url and meta["language"] == "ko"
    assert "JSON-LD datePublished" in result.output
    curated = read_article(CURATED / "newsis-2025-09-22-korea-fills-us-supply-chain.md", ROOT / "seeds", [])
    body_sentences = sentences(curated.body)
    # trafilatura leaves out <figcaption>: every curated sentence is kept but the photo caption's
    caption = "포스코인터내셔널이 18일 서울 포스코센터에서"
    missing = [s for s in body_sentences if s not in art.body]
    assert len(missing) == 2 and missing[0].startswith(caption) and missing[1].startswith("사진은 이날"), missing
    for junk in ("광고", "로그인", "쿠키", "연예인", "재판매", "Copyright", "관련 기사"):
        assert junk not in art.body, junk
    # the same URL again: refused before fetching, naming the file
    again = run("add", url, "--seeds", str(seeds))
    assert again.exit_code == 0 and f"already added: the same URL is in articles/{meta['id']}.md" in again.output


def test_html_file_and_redirect(tmp_path, web):
    seeds = tmp_path / "s"
    page = tmp_path / "page.html"
    shutil.copy(WEB / "ainvest-posco-reelement.html", page)
    result = run("add", str(page), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    (art,) = articles(seeds).values()
    assert art.meta["publisher"] == "AInvest"
    assert str(art.meta["published_on"]) == "2025-09-24"
    assert art.meta["title"].startswith("Strategic Alliances in Critical Minerals")
    assert art.meta["source_file"] == "page.html"
    for junk in ("Tesla", "zero commission", "cookie", "Subscribe", "No comments", "Log in"):
        assert junk not in art.body, junk
    # the same page through a redirect: the same text, refused
    moved = run("add", f"{web}/moved", "--seeds", str(seeds))
    assert moved.exit_code == 0 and "already added: the same text is in" in moved.output


def test_feeds_add_items_once(tmp_path, web):
    seeds = tmp_path / "s"
    result = run("add", f"{web}/rss.xml", f"{web}/atom.xml", "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    assert "mentions no mineral of reference/minerals.yaml" in result.output   # the football item
    assert "/sports/cup-final.html" in result.output
    added = {a.meta["title"]: a.meta for a in articles(seeds).values()}
    assert len(added) == 3, list(added)
    newsis = added["美 공급망, 한국이 메운다…전략광물·소재 협력 확대"]
    assert (newsis["publisher"], str(newsis["published_on"])) == ("Newsis", "2025-09-22")
    lithium = added["Northwind Lithium agrees multi-year lithium hydroxide offtake with Example Cells"]
    assert lithium["publisher"] == "Battery Metals Daily"          # the feed's title
    assert str(lithium["published_on"]) == "2025-10-01"            # the item's date
    assert lithium["url"] == f"{web}/2025/10/01/northwind-lithium-offtake"
    body = read_article(seeds / "articles" / f"{lithium['id']}.md", seeds, []).body
    assert "20,000 tonnes of lithium hydroxide" in body
    # the Atom feed's second entry is the page the RSS feed already gave
    assert "already added: the same URL is in" in result.output
    # cron: the same feeds again add nothing
    again = run("add", f"{web}/rss.xml", f"{web}/atom.xml", "--seeds", str(seeds))
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output
    assert len(list((seeds / "articles").glob("*.md"))) == 3


# ------------------------------------------------------------------------------ bad input


def test_bad_inputs_one_line_each_others_still_added(tmp_path, web, fast_timeouts):
    seeds = tmp_path / "s"
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    debris_only = tmp_path / "debris.txt"
    debris_only.write_text("Some headline\nCopyright © Example News. All rights reserved.\nLeave a Comment\n거부\n",
                           encoding="utf-8")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Überschrift\nDie Lithium-Lieferung für 2026 ist gesichert, sagte der Händler.\n".encode("cp1252"))
    broken_feed = tmp_path / "feed.xml"
    broken_feed.write_text("<?xml version='1.0'?><rss><channel><title>x</title><item><title>lithium", encoding="utf-8")
    sources = {
        str(binary): "binary file",
        str(empty): "empty file",
        str(debris_only): "no article text",
        str(latin1): "not valid utf-8 text",
        str(broken_feed): "malformed feed",
        str(tmp_path / "missing.txt"): "no such file",
        f"{web}/missing.html": "HTTP 404",
        f"{web}/slow": "timed out",
        f"{web}/big": "over the",
        f"{web}/binary": "content type 'application/octet-stream'",
        f"{web}/loop": "more than 5 redirects",
        f"{web}/broken-feed.xml": "malformed feed",
    }
    result = critmin("add", *sources, str(RAW[0]), "--seeds", str(seeds))
    assert result.returncode == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(sources), errors
    for source, why in sources.items():
        (line,) = [ln for ln in errors if ln.startswith(f"error: {source}: ")]
        assert why.lower() in line.lower(), line
    assert "Traceback" not in result.stdout + result.stderr
    assert "1 added" in result.stdout and f"{len(sources)} failed" in result.stdout
    assert len(list((seeds / "articles").glob("*.md"))) == 1
    assert not list((seeds / "articles").glob(".*.tmp"))  # nothing half-written


def test_credentials_never_printed_or_stored(tmp_path, web):
    seeds = tmp_path / "s"
    host = web.removeprefix("http://")
    result = run("add", f"http://alice:s3cret@{host}/missing.html?api_key=abc123&page=2", "--seeds", str(seeds))
    assert result.exit_code == 1
    assert "s3cret" not in result.output and "abc123" not in result.output and "alice" not in result.output
    assert "api_key=***&page=2" in result.output


# ------------------------------------------------------------------------------ pieces


def test_page_debris_file_is_checked(tmp_path):
    from etl.ingest.dump import DebrisError, load_debris

    seeds = tmp_path / "s"
    shutil.copytree(ROOT / "seeds" / "reference", seeds / "reference")
    path = seeds / "reference" / "page_debris.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("action: strip", "action: stripp", 1), encoding="utf-8")
    with pytest.raises(DebrisError, match=r"page_debris\.yaml: rules\.0\.action: Input should be"):
        load_debris(seeds)
    path.write_text("version: 1\nrules:\n  - {kind: x, action: line, patterns: ['(unclosed']}\n"
                    "captions: {sentence: x}\ncitations: {marker: x}\n", encoding="utf-8")
    with pytest.raises(DebrisError, match=r"not a valid regular expression"):
        load_debris(seeds)
    result = run("add", str(RAW[0]), "--seeds", str(seeds))
    assert result.exit_code == 2 and "not a valid regular expression" in result.output


@pytest.mark.parametrize(("line", "expected"), [
    ("Wednesday, Sep 24, 2025 5:37 am ET2min read", date(2025, 9, 24)),
    ("Thursday, Sep 24, 2025", None),                       # the weekday contradicts the date
    ("입력 2025.09.22 08:00", date(2025, 9, 22)),
    ("2025년 9월 22일 오전 8시", date(2025, 9, 22)),
    ("Published 3 March 2024", date(2024, 3, 3)),
    ("2025.02.30", None),                                   # not a real date
])
def test_date_lines(line, expected):
    from etl.ingest.metadata import parse_date_line

    assert parse_date_line(line)[0] == expected


def test_photo_stamp_and_lede_day():
    from etl.ingest.metadata import date_from_stamp_and_lede

    found = date_from_stamp_and_lede(["2025.09.19", "2025.02.10"], ["22일 업계에 따르면 A사는 지난 18일 MOU를 맺었다."])
    assert (found.on, found.precision) == (date(2025, 9, 22), "day")
    # only a past day ("지난 18일"), or a day before the stamp: unknown, not guessed
    assert date_from_stamp_and_lede(["2025.09.19"], ["A사는 지난 18일 MOU를 맺었다."]) is None
    assert date_from_stamp_and_lede(["2025.09.19"], ["3일 업계에 따르면 A사는 MOU를 맺었다."]) is None


def test_ids_are_short_ascii_slugs():
    from etl.ingest.metadata import PublishedOn, make_id, with_suffix

    pid = make_id("뉴시스", PublishedOn(date(2025, 9, 22), "day", ""), "美 공급망, 한국이 메운다…전략광물·소재 협력 확대 " * 5, "x")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid) and len(pid) <= 80
    assert pid.startswith("nyusiseu-2025-09-22-")
    assert make_id(None, PublishedOn(date(2022, 1, 1), "year", ""), "US and EU", "x") == "unknown-2022-us-and-eu"
    assert len(with_suffix("a" * 80, 12)) == 80 and with_suffix("a" * 80, 12).endswith("-12")


def test_add_then_load_gives_auto_facts(tmp_path, db, monkeypatch):
    from conftest import query

    monkeypatch.setenv("DATABASE_URL", db)
    seeds = tmp_path / "s"
    result = run("add", *map(str, RAW), "--seeds", str(seeds), "--load")
    assert result.exit_code == 0, result.output
    assert query(db, "select count(*) from core.article")[0][0] == 5
    auto = query(db, "select count(*) from core.agreement_status where review_status = 'auto'")
    assert auto[0][0] > 0


def test_feed_dates_are_the_feeds_own_calendar_day():
    from etl.ingest.feeds import parse_feed

    rss = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>a</title>"
           b"<link>http://127.0.0.1/a</link><pubDate>Mon, 22 Sep 2025 08:00:00 +0900</pubDate></item>"
           b"</channel></rss>")
    (item,) = parse_feed(rss).items
    assert item.published == date(2025, 9, 22)   # feedparser's UTC struct says the 21st


def test_utf16_text_and_future_dates(tmp_path):
    seeds = tmp_path / "s"
    text = RAW[4].read_text(encoding="utf-8").replace("Sep 24, 2025", "Sep 24, 2099").replace("Wednesday, ", "")
    page = tmp_path / "utf16.txt"
    page.write_bytes(text.encode("utf-16"))
    result = run("add", str(page), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    (art,) = articles(seeds).values()
    assert art.meta["published_on"] is None and art.meta["published_precision"] == "unknown"
    assert "the page states 2099-09-24, outside 1900 to today: not used" in result.output
    assert run("validate", "--seeds", str(seeds)).exit_code == 0


def test_classifier_keeps_article_sentences_that_look_like_debris_words():
    from etl.ingest.dump import classify, load_debris

    page = "\n".join([
        "Headline",
        "The bakery sells cookies to Korea Zinc staff every day, the company said.",
        "We use cookies to improve your experience.",
        "(c) supply of lithium to the plant will begin in 2026 under the agreement.",
        "이 웹사이트는 쿠키를 사용합니다",
        "Copyright © 2025 AInvest. All rights reserved.",
        "Share",
    ])
    cleaned = classify(page, load_debris())
    assert cleaned.title == "Headline"
    assert cleaned.lines == ["The bakery sells cookies to Korea Zinc staff every day, the company said.",
                             "(c) supply of lithium to the plant will begin in 2026 under the agreement."]
    assert [d.kind for d in cleaned.dropped] == ["cookie_banner", "cookie_banner", "copyright", "button"]


def test_month_lines_give_month_precision(tmp_path):
    seeds = tmp_path / "s"
    page = tmp_path / "monthly.txt"
    body = RAW[3].read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join([body[0], "September 2022", *body[1:]]), encoding="utf-8")
    result = run("add", str(page), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    (art,) = articles(seeds).values()
    assert (str(art.meta["published_on"]), art.meta["published_precision"]) == ("2022-09-01", "month")
    assert art.meta["id"].startswith("the-asia-business-daily-2022-09-")
    assert "September 2022" not in art.body


def test_feed_work_per_run_is_bounded(tmp_path, web, monkeypatch):
    from etl.ingest import add as add_mod

    monkeypatch.setattr(add_mod, "MAX_FEED_ITEMS", 1)
    seeds = tmp_path / "s"
    first = run("add", f"{web}/rss.xml", "--seeds", str(seeds))
    assert first.exit_code == 1 and "2 more new items not read: over the limit of 1 per run" in first.output
    assert len(list((seeds / "articles").glob("*.md"))) == 1
    second = run("add", f"{web}/rss.xml", "--seeds", str(seeds))   # continues where the first stopped
    assert len(list((seeds / "articles").glob("*.md"))) == 2 and "already added: the same URL" in second.output
