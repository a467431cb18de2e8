"""The automatic extractor: expected extractions on short texts, seed eval targets, JSON shape,
drafts that validate, robustness (empty, binary, 5 MB, emoji, arbitrary text) and a speed helper."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.extractor import draft_entities, draft_yaml, extract_article
from etl.extractor.evaluation import TARGETS, evaluate
from etl.sources.seeds import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEXTS = Path(__file__).resolve().parent / "texts"


def _ags(result, kind):
    return [a for a in result["agreements"] if a["kind"] == kind]


def _vol(result, mineral, unit, quantity):
    return [v for v in result["volumes"] if v["mineral"] == mineral and v["unit"] == unit and v["quantity"] == quantity]


def _read(name):
    return (TEXTS / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ shape


def test_json_shape_matches_design():
    r = extract_article(_read("en-spodumene-offtake.md"))
    assert set(r) >= {"article", "parties", "minerals", "agreements", "volumes"}
    assert set(r["article"]) == {"title", "published_on", "language"}
    assert r["article"] == {"title": "Korea Zinc signs spodumene offtake with Lithium Americas",
                            "published_on": "2024-03-05", "language": "en"}
    for p in r["parties"]:
        assert {"name", "type", "country", "aliases"} <= set(p) and isinstance(p["aliases"], list)
    assert all(isinstance(m, str) for m in r["minerals"])
    body = split_front_matter(_read("en-spodumene-offtake.md"))[1].strip("\n")
    assert r["parties"] and r["agreements"] and r["volumes"]  # the shape checks below must see items
    for a in r["agreements"]:
        assert {"kind", "status", "parties", "minerals", "announced_on", "evidence"} <= set(a)
        assert all(set(p) == {"name", "role"} for p in a["parties"])
        assert body[a["start"]:a["end"]] == a["evidence"]
    for v in r["volumes"]:
        assert {"mineral", "measure", "quantity", "unit", "bound", "per_year", "period_start",
                "period_end", "evidence"} <= set(v)
        assert isinstance(v["quantity"], float)
        assert body[v["start"]:v["end"]] == v["evidence"]
    for p in r["parties"]:
        assert body[p["start"]:p["end"]] == p["evidence"]


# ------------------------------------------------------------------------------ own texts


def test_spodumene_offtake_per_year():
    r = extract_article(_read("en-spodumene-offtake.md"))
    (ag,) = _ags(r, "offtake")
    assert {p["name"]: p["role"] for p in ag["parties"]} == {"Korea Zinc": "buyer", "Lithium Americas": "seller"}  # counterparty of a buyer: seller (issue 14)
    assert ag["minerals"] == ["spodumene"]
    (v,) = _vol(r, "spodumene", "t", 50000.0)
    assert v["per_year"] is True and v["measure"] == "mass"
    assert v["period_start"] == "2024-03-05" and v["period_end"] == "2029-03-04"  # "for five years"


def test_korean_nickel_supply_contract_in_dollars():
    r = extract_article(_read("ko-nickel-supply.md"))
    (ag,) = _ags(r, "supply_contract")
    assert ag["status"] == "signed" and ag["minerals"] == ["nickel"]
    assert {p["name"] for p in ag["parties"]} == {"SK On", "Australia"}
    assert ag["announced_on"] == "2024-05-08"  # 지난 8일
    assert _vol(r, "nickel", "USD", 300000000.0)
    (v,) = _vol(r, "nickel", "t", 20000.0)
    assert v["bound"] == "up_to" and v["per_year"] is True


def test_plain_text_graphite_deal_and_anaphoric_count():
    r = extract_article(_read("en-graphite-deal.txt"))
    (ag,) = _ags(r, "supply_contract")
    assert ag["minerals"] == ["graphite"]
    assert _vol(r, "graphite", "USD", 2500000000.0)
    assert not [v for v in r["volumes"] if v["unit"] == "count"]  # "The two companies"
    assert r["article"]["language"] == "en" and r["article"]["published_on"] is None


def test_korean_export_ban_and_stockpile():
    r = extract_article(_read("ko-export-ban-stockpile.md"))
    (ban,) = _ags(r, "export_control")
    assert set(ban["minerals"]) == {"gallium", "germanium"}
    assert ban["parties"][0] == {"name": "China Ministry of Commerce", "role": "issuer"}
    (pile,) = _ags(r, "stockpile")
    assert pile["minerals"] == ["rare_earths"] and pile["status"] == "planned"
    assert pile["parties"][0]["name"] == "Japan"


def test_unknown_organisations_non_binding_mou_and_joint_venture():
    r = extract_article(_read("en-unknown-orgs-jv.md"))
    names = {p["name"]: p for p in r["parties"]}
    assert names["Nordic Graphite Resources"]["type"] == "company"
    assert "Ministry of Mines and Energy" in names
    assert names["Ministry of Mines and Energy"]["type"] == "government"
    (mou,) = _ags(r, "mou")
    assert mou["status"] == "non_binding" and mou["minerals"] == ["graphite"]
    (jv,) = _ags(r, "joint_venture")
    assert {p["name"] for p in jv["parties"]} == {"Lockheed Martin", "Korea Zinc"}
    (v,) = _vol(r, "antimony", "KRW", 1.2e12)
    assert v["bound"] == "up_to"


def test_korean_and_english_names_resolve_to_one_party():
    r = extract_article("고려아연(Korea Zinc)은 록히드마틴과 게르마늄 협력을 체결했다. Korea Zinc said the deal is signed.")
    kz = [p for p in r["parties"] if p["name"] == "Korea Zinc"]
    assert len(kz) == 1 and "고려아연" in kz[0]["aliases"]


def test_names_inside_longer_words_are_not_parties_or_minerals():
    r = extract_article("포스코센터에서 열린 행사에서 직접리튬추출 기술과 인도네시아 시장을 논의했다. We met us there.")
    assert r["parties"] == [] and r["mentioned_minerals"] == []


# ------------------------------------------------------------------------------ seeds


@pytest.fixture(scope="module")
def seed_report():
    return evaluate(SEEDS)


def test_eval_targets_on_seeds(seed_report):
    for fact, target in TARGETS.items():
        assert seed_report.overall[fact].f1 >= target, (fact, seed_report.overall[fact].as_dict())
    assert len(seed_report.articles) == 5


def test_extract_every_seed_article_has_exact_evidence():
    for path in sorted((SEEDS / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = split_front_matter(text)[1].strip("\n")
        r = extract_article(text)
        items = [*r["agreements"], *r["volumes"], *r["parties"]]
        assert items, path.name
        for item in items:
            assert body[item["start"]:item["end"]] == item["evidence"]


# ------------------------------------------------------------------------------ drafts


@pytest.mark.parametrize("name", ["en-spodumene-offtake.md", "ko-nickel-supply.md", "ko-export-ban-stockpile.md",
                                  "en-unknown-orgs-jv.md", "seed:newsis-2025-09-22-korea-fills-us-supply-chain.md",
                                  "seed:unknown-2026-02-us-critical-minerals-initiative.md"])
def test_draft_validates(tmp_path, name):
    from etl.pipeline.flow import check

    src = SEEDS / "articles" / name[5:] if name.startswith("seed:") else TEXTS / name
    text = src.read_text(encoding="utf-8")
    import yaml
    front, body = split_front_matter(text)
    meta = yaml.safe_load(front)
    body = body.strip("\n")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "reference", seeds / "reference")
    (seeds / "articles").mkdir()
    (seeds / "entities").mkdir()
    (seeds / "articles" / f"{meta['id']}.md").write_text(text, encoding="utf-8")
    draft, _dropped = draft_entities(meta["id"], body, meta.get("published_on"), meta.get("language"))
    assert draft["agreements"], "the draft should contain agreements"
    out = draft_yaml(draft, source=name)
    assert out.startswith("# MACHINE-DRAFTED")
    (seeds / "entities" / f"{meta['id']}.yaml").write_text(out, encoding="utf-8")
    report = check(seeds, auto=False)
    assert [p.line() for p in report.problems] == []
    assert (report.articles_read, report.accepted) == (1, 1)


# ------------------------------------------------------------------------------ robustness


@pytest.mark.parametrize("text", ["", "   \n\n", "\x00\x01\x02", "🙂🚀 리튬 🙂 lithium 50% 🚀", "---\n",
                                  "---\ntitle: [unclosed\n---\nbody", "ＵＳ　ＭＯＵ　１００톤", "a" * 10])
def test_odd_text_gives_a_result(text):
    r = extract_article(text)
    assert set(r) >= {"article", "parties", "minerals", "agreements", "volumes"}


def test_binary_bytes_raise_one_clear_error():
    with pytest.raises(ValueError, match="UTF-8"):
        extract_article(bytes(range(256)) * 4)
    with pytest.raises(ValueError, match="expected text"):
        extract_article(12345)
    assert extract_article("리튬 100톤".encode())["volumes"]


def test_five_megabytes():
    unit = (TEXTS / "ko-nickel-supply.md").read_text(encoding="utf-8").split("---", 2)[2]
    big = (unit * (5_000_000 // len(unit.encode()) + 1))
    r = extract_article(big)
    assert r["volumes"] and r["agreements"]
    one_line = "lithium " * 700_000  # 5.6 MB, no sentence ends
    r = extract_article(one_line)
    assert r["minerals"] == [] and r["mentioned_minerals"] == ["lithium"]  # analysed, not skipped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_property_arbitrary_text(text):
    r = extract_article(({}, text))
    body = text.removeprefix("\ufeff")
    for item in [*r["agreements"], *r["volumes"], *r["parties"]]:
        assert body[item["start"]:item["end"]] == item["evidence"]


_ALPHABET = st.sampled_from(list("리튬니켈희토류고려아연공급계약체결 MOU lithium Korea Zinc 100톤만억원$%,.() \n0123456789"))


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=200).map("".join))
def test_property_domain_like_text(text):
    r = extract_article(({}, text))
    for item in [*r["agreements"], *r["volumes"], *r["parties"]]:
        assert text[item["start"]:item["end"]] == item["evidence"]


# ------------------------------------------------------------------------------ speed


def measure_speed(n: int = 1000, target_bytes: int = 3000) -> float:
    """Articles per second on a corpus of n ~3 KB articles replicated from the seeds (no assertion)."""
    bodies = []
    for path in sorted((SEEDS / "articles").glob("*.md")):
        meta_text, body = split_front_matter(path.read_text(encoding="utf-8"))
        b = body.encode()[:target_bytes].decode("utf-8", "ignore")
        bodies.append(b)
    corpus = [bodies[i % len(bodies)] + f"\n({i})" for i in range(n)]
    extract_article(({}, corpus[0]))  # warm the lexicon cache
    t0 = time.perf_counter()
    for b in corpus:
        extract_article(({"language": None}, b))
    return n / (time.perf_counter() - t0)


def test_speed_helper_runs():
    rate = measure_speed(50)
    print(f"extractor speed: {rate:.0f} articles/s")
    assert rate > 0


def test_draft_and_extract_take_an_impossible_date_as_unknown(tmp_path):
    """Front matter is read by the seed parser: a date like 2025-02-30 stays text, it does not crash."""
    from conftest import critmin

    article = tmp_path / "bad-date.md"
    article.write_text("---\ntitle: Bad date\npublished_on: 2025-02-30\nlanguage: en\n---\n"
                       "Korea Zinc will supply 240 tonnes of antimony to Lockheed Martin.\n", encoding="utf-8")
    draft = critmin("draft", str(article))
    assert draft.returncode == 0 and "Traceback" not in draft.stderr, draft.stderr
    assert "antimony" in draft.stdout
    r = extract_article(article.read_text(encoding="utf-8"))
    assert r["article"]["published_on"] is None and r["volumes"]
