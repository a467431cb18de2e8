"""Issue 14, second round: figures that describe the market or a plant kept apart from deal
terms, deals referred to again ("The agreement …", "이번 계약은 …"), figures attached to the deal
they belong to, direction learnt from a later mention, examples that are no parties, the
period scanner's gate. Every sentence here is invented for the test (no evaluation text)."""

from __future__ import annotations

import re

import pytest

from etl.extractor import extract_article
from etl.text import find_periods, load_units
from etl.text.periods import _EN_DAY_WORDS, _head_gate


def _x(text: str, language: str = "en") -> dict:
    return extract_article(({"language": language}, text))


def _figures(r: dict, key: str = "volumes") -> set[tuple[float, str]]:
    return {(v["quantity"], v["unit"]) for v in r[key]}


# ------------------------------------------------------------------------------ context figures


@pytest.mark.parametrize("text,language,figure", [
    ("The Zandor deposit has a mineral resource estimate of 42Mt of lithium ore.", "en", (42e6, "t")),
    ("Global demand for cobalt will reach 300,000 t by 2030, Acme Metals said.", "en", (300000.0, "t")),
    ("Analysts say nickel sulphate output in the region is projected at 9,000 t/yr by 2029.", "en", (9000.0, "t")),
    ("업계는 2030년 전기차용 니켈 수요량이 300만톤에 이를 것으로 본다.", "ko", (3e6, "t")),
    ("국제 흑연 생산은 내후년 120만톤 수준이 될 전망이다.", "ko", (1.2e6, "t")),
])
def test_market_resource_and_forecast_figures_are_context(text, language, figure):
    r = _x(text, language)
    assert figure in _figures(r, "context_figures") and figure not in _figures(r)
    assert all(v["why"] for v in r["context_figures"])


def test_a_projects_capacity_is_context_but_a_joint_ventures_plant_is_a_term():
    r = _x("Acme Metals signed a supply agreement with Beta Cells. Acme Metals will sell spodumene from "
           "its Ortho mine, which has a nameplate capacity of 90,000 t a year.")
    assert (90000.0, "t") in _figures(r, "context_figures")
    jv = _x("Acme Metals and Beta Cells Inc formed a joint venture with a production capacity of 40,000 t "
            "of nickel sulphate.")
    assert (40000.0, "t") in _figures(jv)


def test_deal_figures_and_names_ending_in_a_cue_word_stay_deal_figures():
    r = _x("Quartzite Resources will supply 20,000 t of lithium hydroxide to Beta Cells Inc under a binding "
           "supply agreement.")
    assert (20000.0, "t") in _figures(r) and r["context_figures"] == []
    ko = _x("라마바리소시스가 가나다케미칼에 수산화리튬 5000톤을 납품하는 계약이 체결됐다.", "ko")
    assert (5000.0, "t") in _figures(ko)


def test_a_count_that_belongs_to_no_deal_is_context():
    r = _x("가나다케미칼의 연구소에는 연구원 40명이 일한다.", "ko")
    assert r["volumes"] == [] and [v["unit"] for v in r["context_figures"]] == ["count"]


def test_a_unit_price_after_its_conversion_is_no_amount():
    r = _x("Acme Metals issued new shares to Beta Cells priced at A$0.42 (US$0.30) a share.")
    assert (0.3, "USD") not in _figures(r) and (0.3, "USD") not in _figures(r, "context_figures")


# ------------------------------------------------------------------------------ deals referred to again


def test_the_agreement_sentence_gives_its_figure_to_the_deal_already_found():
    r = _x("Acme Metals signed a supply agreement with Beta Cells Inc. The agreement covers 12,000 t of "
           "lithium hydroxide a year over five years.")
    assert len(r["agreements"]) == 1
    (v,) = r["volumes"]
    assert v["quantity"] == 12000 and v["agreement"] == 0


def test_a_definite_trigger_refers_back_instead_of_making_a_deal():
    r = _x("Acme Metals will invest $50 million in Beta Cells Inc. Beta Cells Inc said the investment "
           "pays for a cathode line. This investment follows a rise in orders from carmakers including "
           "Zeta Motors Inc.")
    assert [a["kind"] for a in r["agreements"]] == ["investment"]
    assert {p["name"] for p in r["parties"]} == {"Acme Metals", "Beta Cells Inc"}
    assert "Zeta Motors Inc" in {p["name"] for p in r["mentioned_parties"]}


def test_korean_this_contract_sentence_joins_the_deal():
    r = _x("가나다케미칼은 라마바리소시스와 수산화리튬 장기 공급 계약을 체결했다. "
           "해당 계약에 포함된 물량은 3만톤이며 회사는 설비에 2000만 달러를 투자한다.", "ko")
    assert [a["kind"] for a in r["agreements"]] == ["supply_contract"]
    assert {(v["quantity"], v["agreement"]) for v in r["volumes"]} == {(30000.0, 0), (20000000.0, 0)}


def test_examples_in_a_signed_deal_are_its_parties():
    r = _x("Acme Metals signed supply agreements with battery makers including Beta Cells Inc.")
    assert "Beta Cells Inc" in {p["name"] for a in r["agreements"] for p in a["parties"]}


def test_a_party_named_in_no_deal_is_only_mentioned():
    r = _x("Acme Metals signed an offtake agreement with Beta Cells Inc. Zeta Motors Inc makes electric "
           "trucks in Ohio, and Zeta Motors Inc plans more.")
    assert "Zeta Motors Inc" not in {p["name"] for p in r["parties"]}
    assert "Zeta Motors Inc" in {p["name"] for p in r["mentioned_parties"]}


# ------------------------------------------------------------------------------ attachment, direction, kinds


def test_a_figure_goes_to_the_deal_of_the_party_its_sentence_names():
    r = _x("Acme Metals signed an offtake agreement with Beta Cells Inc for spodumene. Shipments begin "
           "in 2027, when Beta Cells Inc takes 8,000 t.")
    (v,) = r["volumes"]
    assert v["quantity"] == 8000 and v["agreement"] == 0


def test_a_figure_in_a_sentence_naming_no_party_follows_the_previous_sentences_deal():
    r = _x("가나다케미칼은 라마바리소시스와 수산화리튬 장기공급 계약을 체결했다. 라마바리소시스는 오스트랄마이닝과도 "
           "공급 계약을 맺었다. 오스트랄마이닝은 첫해 물량의 30%를 받는다. "
           "나머지 물량은 2만톤이다.", "ko")
    by_q = {v["quantity"]: v["agreement"] for v in r["volumes"]}
    assert by_q[30.0] is not None and by_q[20000.0] == by_q[30.0]


def test_direction_comes_from_a_later_mention_of_the_same_deal():
    r = _x("가나다케미칼이 라마바리소시스와 니켈 공급계약을 맺었다. 가나다케미칼은 이 공급계약에 따라 2027년까지 "
           "라마바리소시스로부터 니켈 5000톤을 사들인다.", "ko")
    (deal,) = [a for a in r["agreements"] if a["kind"] == "supply_contract"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"가나다케미칼": "buyer", "라마바리소시스": "seller"}
    assert [v["agreement"] for v in r["volumes"]] == [0]


def test_direction_comes_from_a_later_directed_deal_sentence():
    r = _x("가나다케미칼이 라마바리소시스와 니켈 공급계약을 맺었다. 라마바리소시스가 가나다케미칼에 니켈을 공급하는 "
           "계약으로, 물량은 5000톤이다.", "ko")
    (deal,) = r["agreements"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"가나다케미칼": "buyer", "라마바리소시스": "seller"}


def test_buying_a_stake_with_a_decimal_figure_is_an_investment():
    r = _x("Beta Cells Inc agreed to buy a 4.5% equity holding in Acme Metals for $20 million.")
    assert [a["kind"] for a in r["agreements"]] == ["investment"]


def test_a_supply_plan_of_goods_that_are_no_mineral_is_no_deal():
    assert _x("가나다전자와 라마바모터스가 배터리를 공급할 예정이다.", "ko")["agreements"] == []
    assert _x("가나다전자가 라마바모터스에 니켈을 공급할 예정이다.", "ko")["agreements"] != []


# ------------------------------------------------------------------------------ the period scanner


def test_the_period_scanners_gate_changes_no_match():
    units = load_units()
    periods = units._periods
    ungated = re.compile(periods.scanner.pattern.replace(_head_gate([periods_section(), _EN_DAY_WORDS]), "", 1),
                         re.IGNORECASE)
    assert ungated.pattern != periods.scanner.pattern
    text = ("From 2028 the plant ships ore over the next 15 years; 내년부터 3년간, 2026년 6월까지, "
            "this coming Monday, between 2025 and 2027, in March 2026, 올해 하반기, 지난 3일, since May, "
            "during the first year, 향후 5년간, 2030년까지.")
    assert [m.span() for m in ungated.finditer(text)] == [m.span() for m in periods.scanner.finditer(text)]
    assert len(list(periods.scanner.finditer(text))) >= 10
    whole = find_periods(text, None, units)
    half = len(text) // 2
    cut = text.index(";") + 1
    assert find_periods(text, None, units, [(0, cut), (cut, len(text))]) == whole
    assert all(s >= half for s, _e, _p in find_periods(text, None, units, [(half, len(text))]))


def periods_section() -> dict:
    import yaml

    from etl.paths import resource_dir

    with (resource_dir("seeds") / "reference" / "units.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["periods"]


# ------------------------------------------------------------------------------ names, kinds, clauses


def test_a_descriptor_still_names_across_a_short_aside():
    r = _x("가나다케미칼은 계열사(100%) 오로라마이닝코를 통해 광산을 운영한다.", "ko")
    names = {p["name"] for p in [*r["parties"], *r["mentioned_parties"]]}
    assert "오로라마이닝코" in names


def test_acquiring_mining_rights_is_an_investment_but_owning_them_is_no_deal():
    r = _x("라마바리소시스는 칠레 북부 구리 광구 두 곳의 채굴권을 취득했다고 밝혔다.", "ko")
    assert [a["kind"] for a in r["agreements"]] == ["investment"]
    assert _x("라마바리소시스는 구리 광구 채굴권을 보유하고 있다.", "ko")["agreements"] == []


def test_a_concessive_opening_phrase_is_its_own_clause():
    r = _x("Although Acme Metals formed a joint venture with Beta Cells Inc last year, the US government "
           "reviews the plant.")
    assert {p["name"] for a in r["agreements"] for p in a["parties"]} == {"Acme Metals", "Beta Cells Inc"}
