"""The extractor on news it was not written on: the shared evaluation set (scored by the gold
scorer with the README's rules), ambiguous aliases that must not fire, supply direction,
periods, products, the drafted-facts API and the Korean analyser.

Issue 14 targets, each in Korean and in English (not only overall): volumes value+unit
F1 >= 0.90; parties recall >= 0.85 with precision >= 0.80; recall >= 0.75 on parties not in the
reference lexicon; agreements (kind and parties) F1 >= 0.70; full tuple F1 >= 0.55. The floors
below are what the extractor reached when they were set, minus 0.05 (every one of them is at or
above its target): a drop below them fails, and so does a missed target.

No rule, alias or lexicon entry names a party, place or sentence of these articles: they are
copied from ../shared/eval (tests/eval_gold) only to be scored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import critmin

from etl.extractor import draft_entities, extract_article, lexicon_for
from etl.extractor.evaluation import evaluate_gold
from etl.extractor.evaluation.gold import lexicon_forms, names_match, norm_name, read_article

HERE = Path(__file__).resolve().parent
GOLD = HERE / "eval_gold" / "gold.yaml"
SEEDS = HERE.parent / "seeds"

# (language, count, measure): floor
FLOORS = {
    ("en", "parties", "recall"): 0.95, ("en", "parties", "precision"): 0.95,
    ("en", "unknown_parties", "recall"): 0.95, ("en", "volumes", "f1"): 0.93,
    ("en", "agreements", "f1"): 0.71, ("en", "tuple", "f1"): 0.74,
    ("ko", "parties", "recall"): 0.95, ("ko", "parties", "precision"): 0.95,
    ("ko", "unknown_parties", "recall"): 0.95, ("ko", "volumes", "f1"): 0.93,
    ("ko", "agreements", "f1"): 0.91, ("ko", "tuple", "f1"): 0.86,
}


@pytest.fixture(scope="module")
def report():
    lexicon = lexicon_for(str(SEEDS))
    return evaluate_gold(GOLD, lambda meta, body: extract_article((meta, body), lexicon=lexicon),
                         lexicon_forms(lexicon), lexicon.lex.mineral)


def test_gold_scores_stay_above_their_floors(report):
    assert [a.article_id for a in report.articles] == [f"e{i:02d}" for i in range(1, 11)]
    low = []
    for (lang, count, measure), floor in FLOORS.items():
        got = getattr(report.by_language[lang].counts[count], measure)
        if got < floor:
            low.append(f"{lang} {count} {measure} {got:.2f} < {floor:.2f}")
    misses = report.target_misses()
    print(json.dumps(misses, indent=1))
    assert low == []
    assert not any(misses.values()), misses


def test_the_not_in_lexicon_parties_are_really_unknown(report):
    """The generalisation figure counts gold parties the lexicon does not know; there are many."""
    c = report.overall.counts["unknown_parties"]
    assert c.required >= 15 and c.found >= 0.75 * c.required


def test_gold_cli_table_and_json(tmp_path):
    out = critmin("eval", "--gold", str(GOLD), "--seeds", str(SEEDS))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "language ko" in out.stdout and "not-in-lexicon" in out.stdout
    out = critmin("eval", "--gold", str(GOLD), "--seeds", str(SEEDS), "--json")
    data = json.loads(out.stdout)
    assert set(data["by_language"]) == {"en", "ko"}
    assert data["overall"]["volumes"]["required"] > 0
    missing = critmin("eval", "--gold", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such gold file" in missing.stderr


# ------------------------------------------------------------------------------ the scorer


def test_party_rule_of_the_readme():
    assert names_match([norm_name("Acme Battery Solution")], [norm_name("Acme Battery Solutions")])
    assert names_match([norm_name("Acme Perth(APL)")], [norm_name("Acme Perth")])  # gold contains
    assert names_match([norm_name("ACM")], [norm_name("ACM Co.")])  # inside a longer (>3) name
    assert not names_match([norm_name("LG")], [norm_name("LGE")])  # "lge" is not longer than three
    assert not names_match([norm_name("Glencore")], [norm_name("Tesla")])


def test_scorer_counts_on_a_hand_made_case(tmp_path):
    (tmp_path / "a.txt").write_text("title: t\nsource: s\npublished: unknown\nlanguage: en\n\nbody\n",
                                    encoding="utf-8")
    gold = {"articles": [{"id": "x", "file": "a.txt", "language": "en",
                          "parties": [{"name": "Acme Mining", "type": "company", "country": "AU"},
                                      {"name": "Beta Corp", "type": "company", "country": "US", "optional": True}],
                          "agreements": [{"id": "x-a1", "kind": "offtake", "status": "signed",
                                          "parties": [{"name": "Acme Mining", "role": "seller"},
                                                      {"name": "Beta Corp", "role": "buyer"}]}],
                          "volumes": [{"agreement": "x-a1", "quantity": 1000, "unit": "t/yr"},
                                      {"agreement": None, "quantity": 5, "unit": "percent", "optional": True}]}]}
    (tmp_path / "g.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    out = {"article": {"language": "en"},
           "parties": [{"name": "Acme Mining", "aliases": [], "type": "company", "country": "AU", "known": False},
                       {"name": "Beta Corp", "aliases": [], "type": "company", "country": None, "known": False},
                       {"name": "Gamma", "aliases": [], "type": "company", "country": None, "known": False}],
           "minerals": [], "agreements": [{"kind": "offtake", "status": "signed",
                                           "parties": [{"name": "Acme Mining", "role": "seller"},
                                                       {"name": "Beta Corp", "role": "supplier"}]}],
           "volumes": [{"quantity": 1003.0, "unit": "t", "bound": "exact", "per_year": True, "agreement": 0},
                       {"quantity": 5.0, "unit": "%", "bound": "exact", "per_year": False, "agreement": None},
                       {"quantity": 7.0, "unit": "USD", "bound": "exact", "per_year": False, "agreement": None}]}
    r = evaluate_gold(tmp_path / "g.yaml", lambda meta, body: out, set(), lambda s: None)
    c = r.overall.counts
    assert (c["parties"].matched, c["parties"].extracted, c["parties"].found, c["parties"].required) == (2, 3, 1, 1)
    # 1003 is within 0.5% of 1000; t and t/yr are one unit; % matches the optional percent
    assert (c["volumes"].matched, c["volumes"].extracted, c["volumes"].found, c["volumes"].required) == (2, 3, 1, 1)
    assert (c["agreements"].found, c["tuple"].found, c["tuple"].matched) == (1, 1, 1)
    assert r.overall.ratios["agreement_roles"].value == 0.0  # supplier is not buyer
    assert r.overall.ratios["volume_per_year"].value == 1.0
    assert r.overall.ratios["party_country"].value == 0.5  # Beta Corp (optional, found) has no country


# ------------------------------------------------------------------------------ ambiguity


NO_PARTY = [
    "Give us a call if the price of lithium rises.",
    "Tell us more about the nickel market, he said.",
    "North Korea fired a missile on Tuesday.",
    "Prices of copper rose across Latin America last year.",
    "South America and Central America export copper.",
    "中企 대출이 늘었다.",
    "中東 정세가 불안하다.",
    "美術 전시회가 열렸다.",
    "집행위원회는 다음 달 회의를 연다.",
    "The Commission will meet in May.",
    "The Indian DOE approved the solar plan.",
    "India's DOE said it would review the plan.",
    "남미와 중동의 리튬 수요가 늘었다.",
    "The plant was built in China in 1990.",
    "리튬 가격은 중국에서 급등했다.",
    "The deal is worth US$5 million.",
]


def found_parties(r):
    """Every organisation the extractor found: parties of its deals and parties only mentioned."""
    return [*r["parties"], *r["mentioned_parties"]]


@pytest.mark.parametrize("text", NO_PARTY)
def test_ambiguous_aliases_do_not_fire_without_context(text):
    language = "ko" if any("가" <= c <= "힣" for c in text) else "en"
    r = extract_article(({"language": language}, text))
    assert r["parties"] == [] and r["mentioned_parties"] == []


@pytest.mark.parametrize("text,names", [
    ("The US and South Korea signed an MOU on critical minerals.", ["United States", "South Korea"]),
    ("중국 정부는 희토류 수출을 통제한다고 밝혔다.", ["China"]),
    ("EU 집행위원회는 핵심원자재법을 발표했다.", ["European Commission"]),
    ("The US Department of Energy awarded a grant to the project.", ["US Department of Energy"]),
])
def test_acting_governments_are_parties(text, names):
    language = "ko" if any("가" <= c <= "힣" for c in text) else "en"
    assert [p["name"] for p in found_parties(extract_article(({"language": language}, text)))] == names


# ------------------------------------------------------------------------------ unknown organisations


def test_unknown_korean_and_english_organisations():
    ko = extract_article(({"language": "ko"}, "가나다케미칼은 호주 광산업체 라마바리소시스(Ramaba Resources)와 "
                                               "수산화리튬 장기 공급 계약을 체결했다."))
    names = {p["name"] for p in found_parties(ko)}
    assert {"가나다케미칼", "Ramaba Resources"} <= names
    assert "수산화리튬" not in names  # a product, not a company
    en = extract_article(({"language": "en"}, "Quartzite Minerals (ASX: QZM), a Perth-based miner, agreed to sell "
                                               "spodumene to Orion Cells. Quartzite will ship 20,000 t a year."))
    assert {"Quartzite Minerals"} <= {p["name"] for p in en["parties"]}
    q = next(p for p in en["parties"] if p["name"] == "Quartzite Minerals")
    assert q["known"] is False and q["type"] == "company"


def test_transliteration_variant_resolves_to_the_reference_party():
    r = extract_article(({"language": "ko"}, "포스코인터내셔널은 리엘러먼트테크놀로지스와 양해각서를 체결했다."))
    assert [p["known"] for p in r["parties"]] == [True, True]


# ------------------------------------------------------------------------------ direction, periods, products


def test_buyer_and_seller_from_the_verb_and_markers():
    r = extract_article(({"language": "ko"}, "가나다마이닝은 2024년 SK온에게 약 2만톤, 중국 라마바케미칼에게 최소 5만톤의 "
                                              "니켈을 공급하는 계약을 체결했다."))
    deals = [{p["name"]: p["role"] for p in a["parties"]} for a in r["agreements"] if a["kind"] == "supply_contract"]
    assert len(deals) == 2 and all(d.get("가나다마이닝") == "seller" for d in deals)
    assert {b for d in deals for b, role in d.items() if role == "buyer"} == {"SK On", "라마바케미칼"}
    en = extract_article(({"language": "en"}, "Quartzite Minerals will supply 10,000 t of lithium hydroxide to battery "
                                               "maker Orion Cells under a binding supply agreement."))
    (deal,) = [a for a in en["agreements"] if a["kind"] == "supply_contract"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"Quartzite Minerals": "seller", "Orion Cells": "buyer"}


@pytest.mark.parametrize("text,start,end,per_year", [
    ("POSCO International will supply 20,000 t of lithium hydroxide per year to SK On over the next 15 years.",
     "2025-09-22", "2040-09-21", True),
    ("포스코인터내셔널은 SK온에 내년부터 3년간 리튬 3만톤을 공급한다.", "2026-01-01", "2028-12-31", False),
    ("고려아연은 2028년부터 연간 안티모니 240톤을 공급한다.", "2028-01-01", None, True),
])
def test_periods_and_per_year(text, start, end, per_year):
    r = extract_article(({"published_on": "2025-09-22", "language": "en" if text.isascii() else "ko"}, text))
    (v,) = r["volumes"]
    assert (v["period_start"], v["period_end"], v["per_year"]) == (start, end, per_year)


def test_products_are_kept_apart_from_the_mineral():
    r = extract_article(({"language": "en"}, "Quartzite Minerals will supply 90,000 dry metric tonnes per annum of "
                                              "lithium spodumene concentrate to Korea Zinc under a binding offtake agreement."))
    (v,) = r["volumes"]
    assert (v["mineral"], v["product"], v["quantity"], v["per_year"]) == ("lithium", "spodumene concentrate", 90000.0, True)


def test_conversions_keep_the_explicit_us_dollar():
    r = extract_article(({"language": "en"}, "Korea Zinc will invest up to $50.5 million (US$37.2 million) in the miner."))
    assert [(v["quantity"], v["unit"]) for v in r["volumes"]] == [(37200000.0, "USD")]


# ------------------------------------------------------------------------------ drafted facts


def test_draft_reports_every_fact_it_leaves_out():
    body = ("Quartzite Minerals agreed to supply 10,000 t of lithium to Orion Cells under a binding supply "
            "agreement. Korea Zinc signed an MOU with LG Energy Solution for 500 t of germanium.")
    draft, dropped = draft_entities("x", body, "2025-01-02", "en", seeds_dir=SEEDS)
    reasons = [d.reason for d in dropped]
    assert any("Quartzite Minerals" in d.fact.get("name", "") and "not in reference/parties.yaml" in d.reason
               for d in dropped)
    assert any(d.fact["type"] == "agreement" and "no party of the agreement" in d.reason for d in dropped), reasons
    # the 10,000 t of the unknown parties' deal is not lost: it is drafted as a claim
    assert any(c["quantity"] == 10000 for c in draft["claims"])
    drafted = [v for a in draft["agreements"] for v in a["volumes"]] + draft["claims"]
    assert all(v["evidence"] in body for v in drafted)


def test_korean_analyser_loads_offline_from_its_wheel():
    from kiwipiepy import Kiwi

    from etl.extractor.korean import analyser, load_seconds, proper_noun_words

    assert isinstance(analyser(), Kiwi) and analyser() is analyser()
    assert load_seconds() is not None
    assert proper_noun_words(["테슬라", "먹었다"]) == [(True, True), (False, False)]


def test_eval_articles_read_like_the_readme_says():
    meta, body = read_article(HERE / "eval_gold" / "articles" / "e06.txt")
    assert meta["language"] == "ko" and meta["published_on"] == "2023-05-29" and body.startswith("포스코")
