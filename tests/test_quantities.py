"""Tests for etl/text (numbers, units, periods): real phrases from the five seed articles plus other phrasings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text import (
    Period,
    Quantity,
    find_periods,
    load_units,
    parse_number,
    parse_quantities,
    resolve_period,
    to_tonnes,
)

D = Decimal
KO_DATE = date(2025, 9, 22)  # newsis article
EN_DATE = date(2022, 9, 1)  # archyde article


def _q(text: str) -> list[tuple[Decimal, str, str, bool]]:
    return [(q.quantity, q.unit, q.bound, q.per_year) for q in parse_quantities(text)]


# (input, [(quantity, unit, bound, per_year), ...]) — A = from a seed article, O = other phrasing
QUANTITY_CASES = [
    # --- Korean, seed articles
    ("올해 100톤, 내년 240톤 이상의 안티모니를 미국에 공급할 계획이다",
     [(D(100), "t", "exact", False), (D(240), "t", "at_least", False)]),
    ("울산 온산제련소에 1400억원을 투자해 2028년부터 연간 10톤의 게르마늄을 생산할 예정이다",
     [(D(140000000000), "KRW", "exact", False), (D(10), "t", "exact", True)]),
    ("이는 미국의 연간 수입량의 30%에 해당한다", [(D(30), "%", "exact", False)]),
    ("최대 10만톤 규모의 리튬을 다년간 오프테이크", [(D(100000), "t", "up_to", False)]),
    ("50개 이상의 국가와 단체 대표자들이 참석해", [(D(50), "count", "at_least", False)]),
    ("월요일 트럼프는 거의 120억 달러 규모의 핵심광물 비축", [(D(12000000000), "USD", "approx", False)]),
    ("중희토 가공 공장에 2,100만 달러 투자", [(D(21000000), "USD", "exact", False)]),
    ("미국이 “채굴 부문에 수천억 달러를 투입할 것”이라며", []),  # vague: skipped
    ("한국이 6월까지 의장을 맡는다", []),
    ("포스코인터내셔널이 18일 서울 포스코센터에서 업무협약(MOU)을 체결", []),
    ("(사진=고려아연 제공) 2025.02.10 photo@newsis.com", []),
    ("22일 업계에 따르면 포스코인터내셔널은 지난 18일", []),
    # --- Korean, other phrasings
    ("9.25조원", [(D(9250000000000), "KRW", "exact", False)]),
    ("114조 원", [(D(114000000000000), "KRW", "exact", False)]),
    ("3억 달러 규모", [(D(300000000), "USD", "exact", False)]),
    ("1조 2,000억원", [(D(1200000000000), "KRW", "exact", False)]),
    ("3억5천만 달러", [(D(350000000), "USD", "exact", False)]),
    ("연산 5만톤", [(D(50000), "t", "exact", True)]),
    ("연 10만톤 규모", [(D(100000), "t", "exact", True)]),
    ("연간 최대 10만톤", [(D(100000), "t", "up_to", True)]),
    ("약 100여톤", [(D(100), "t", "approx", False)]),
    ("10억여 달러", [(D(1000000000), "USD", "approx", False)]),
    ("20개국이 참여", [(D(20), "count", "exact", False)]),
    ("3곳의 광산", [(D(3), "count", "exact", False)]),
    ("5천톤 미만", [(D(5000), "t", "up_to", False)]),
    ("500억 엔", [(D(50000000000), "JPY", "exact", False)]),
    ("10억 위안", [(D(1000000000), "CNY", "exact", False)]),
    ("5억 유로", [(D(500000000), "EUR", "exact", False)]),
    ("계약 100톤", [(D(100), "t", "exact", False)]),  # 약 inside 계약 is not "approx"
    ("10만원료", []),  # 원료 = raw material, not won
    ("3개월 동안", []),  # months, not a count
    ("금리를 0.5%p 인상", []),  # percentage points: not a share
    ("수십 개국", []),
    ("2028년", []),
    # --- English, seed articles
    ("provides $7 billion (approximately 9.25 trillion KRW) in support over five years",
     [(D(7000000000), "USD", "exact", False), (D(9250000000000), "KRW", "approx", False)]),
    ("it invested $86.2 billion (approximately 114 trillion KRW) in overseas mine investments",
     [(D(86200000000), "USD", "exact", False), (D(114000000000000), "KRW", "approx", False)]),
    ("POSCO has inked contracts worth nearly $900 million with North American automakers",
     [(D(900000000), "USD", "approx", False)]),
    ("to supply permanent magnets for 3.85 million EV motors over the next decade",
     [(D(3850000), "count", "exact", False)]),
    ("At the meeting attended by 11 partner countries including Korea, Canada and Japan, "
     "and 8 resource-rich countries including Brazil",
     [(D(11), "count", "exact", False), (D(8), "count", "exact", False)]),
    ("the Mineral Security Partnership (MSP) involving ten countries",
     [(D(10), "count", "exact", False)]),
    ("the Quad security dialogue among four countries", [(D(4), "count", "exact", False)]),
    ("representatives from more than 50 countries", [(D(50), "count", "at_least", False)]),
    ("trade alliance with 50+ countries to counter China", [(D(50), "count", "at_least", False)]),
    ("projected to surge by over 300% by 2030", [(D(300), "%", "at_least", False)]),
    ("China, which controls approximately 80% of processing and refining capacity",
     [(D(80), "%", "approx", False)]),
    ("a compound annual growth rate (CAGR) of 9.5% from 2025 to 2032",
     [(D("9.5"), "%", "exact", False)]),
    ("Backed by $900M EV magnet contracts", [(D(900000000), "USD", "exact", False)]),
    ("reduces reliance on China's 80% rare-earth processing dominance",
     [(D(80), "%", "exact", False)]),
    ("On the occasion of the 77th United Nations General Assembly", []),
    ("Wednesday, Sep 24, 2025 5:37 am ET2min read", []),
    ("Strategies for Resilience in 2025[1]. This concentration", []),
    ("[전화] 02-398-8585", []),
    ("Between 2013 and 2018, it invested", []),
    ("increase by several tens of times within 20 years", []),
    ("G7 재무장관 회의", []),
    ("Review Report on Supply Chains of Four Key Items", []),
    # --- English, other phrasings
    ("50,000 tonnes of spodumene a year", [(D(50000), "t", "exact", True)]),
    ("up to 100,000 tonnes", [(D(100000), "t", "up_to", False)]),
    ("$2.5bn", [(D(2500000000), "USD", "exact", False)]),
    ("US$1.2 billion", [(D(1200000000), "USD", "exact", False)]),
    ("€500 million", [(D(500000000), "EUR", "exact", False)]),
    ("¥10 billion", [(D(10000000000), "JPY", "exact", False)]),
    ("10 billion yen", [(D(10000000000), "JPY", "exact", False)]),
    ("500 million yuan", [(D(500000000), "CNY", "exact", False)]),
    ("1,000 metric tons", [(D(1000), "t", "exact", False)]),
    ("20 kt", [(D(20000), "t", "exact", False)]),
    ("20,000 tons", [(D(20000), "t", "exact", False)]),
    ("5 million pounds of uranium", [(D(5000000), "lb", "exact", False)]),
    ("10,000 t per annum", [(D(10000), "t", "exact", True)]),
    ("2,000 tonnes annually", [(D(2000), "t", "exact", True)]),
    ("300 tonnes each year", [(D(300), "t", "exact", True)]),
    ("about 1,000 t", [(D(1000), "t", "approx", False)]),
    ("5 Mt", [(D(5000000), "t", "exact", False)]),
    ("1,000 mt", [(D(1000), "t", "exact", False)]),
    ("30,000 tpa", [(D(30000), "t", "exact", True)]),
    ("250 kg", [(D(250), "kg", "exact", False)]),
    ("at least 240 tonnes", [(D(240), "t", "at_least", False)]),
    ("100 tonnes or more", [(D(100), "t", "at_least", False)]),
    ("some 50 countries", [(D(50), "count", "approx", False)]),
    ("twenty-five companies", [(D(25), "count", "exact", False)]),
    ("five hundred million dollars", [(D(500000000), "USD", "exact", False)]),
    ("9.25 trillion KRW", [(D(9250000000000), "KRW", "exact", False)]),
    ("10-20%", [(D(20), "%", "up_to", False)]),  # a range is stored as its upper end
    ("A$500 million", []),  # Australian dollars: recognised, not an allowed unit
    ("£5 million", []),
    ("20 km of road", []),
    ("the 2030 countries", []),  # a year next to a noun is not a count
    ("100 t EV motors", [(D(100), "t", "exact", False)]),
    ("a $2 billion deal", [(D(2000000000), "USD", "exact", False)]),
    ("US$ 5 million dollars", [(D(5000000), "USD", "exact", False)]),
    ("100억 호주달러", []),
    ("one of the companies", []),
    ("1만 2000톤", [(D(12000), "t", "exact", False)]),
    ("10~20만톤", [(D(200000), "t", "up_to", False)]),
    ("10,000톤/년", [(D(10000), "t", "exact", True)]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITY_CASES,
                         ids=[c[0][:40] or "empty" for c in QUANTITY_CASES])
def test_parse_quantities(text: str, expected: list) -> None:
    assert _q(text) == expected


def test_quantity_fields_and_spans() -> None:
    text = "고려아연은 올해 100톤, 내년 240톤 이상의 안티모니를"
    qs = parse_quantities(text)
    assert [q.text for q in qs] == ["100톤", "240톤 이상"]
    assert qs[0] == Quantity(9, 13, "100톤", D(100), "t", "mass", "exact", False)
    assert qs[1].measure == "mass"
    for q in qs:
        assert text[q.start:q.end] == q.text


def test_spans_include_bound_and_per_year_words() -> None:
    text = "ExxonMobil could supply up to 100,000 tonnes of lithium a year."
    (q,) = parse_quantities(text)
    assert q.text == "up to 100,000 tonnes of lithium a year"
    assert (q.bound, q.per_year) == ("up_to", True)


def test_currency_span_stops_at_the_amount() -> None:
    (q,) = parse_quantities("a $2 billion deal")
    assert q.text == "$2 billion"


def test_measures() -> None:
    got = {q.unit: q.measure for q in parse_quantities("$5 billion, 30%, 10 t, 5 countries")}
    assert got == {"USD": "money", "%": "share", "t": "mass", "count": "count"}


def test_seed_articles_parse_without_error() -> None:
    files = sorted((SEEDS / "articles").glob("*.md"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        found = parse_quantities(text)
        assert found, f.name  # every seed article states figures
        for q in found:
            assert text[q.start:q.end] == q.text
            assert q.quantity > 0


# --- parse_number ----------------------------------------------------------------------

NUMBER_CASES = [
    ("3.85 million", D(3850000)),
    ("10만", D(100000)),
    ("1,400억", D(140000000000)),
    ("9.25조", D(9250000000000)),
    ("2,100만", D(21000000)),
    ("120억", D(12000000000)),
    ("86.2 billion", D(86200000000)),
    ("2.5bn", D(2500000000)),
    ("$2.5bn", D(2500000000)),
    ("900M", D(900000000)),
    ("five", D(5)),
    ("ten", D(10)),
    ("twenty-five", D(25)),
    ("five hundred", D(500)),
    ("one hundred fifty thousand", D(150000)),
    ("1조 2000억", D(1200000000000)),
    ("3억 5천만", D(350000000)),
    ("5천", D(5000)),
    ("50,000", D(50000)),
    ("9.5", D("9.5")),
    (" 100 ", D(100)),
    ("0.5", D("0.5")),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_parse_number(text: str, expected: Decimal) -> None:
    got = parse_number(text)
    assert got == expected
    assert isinstance(got, Decimal)


def test_parse_number_is_tidy() -> None:
    assert str(parse_number("3.85 million")) == "3850000"
    assert str(parse_number("9.25조")) == "9250000000000"


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "twelve apples", "1.2.3", "million"])
def test_parse_number_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


@pytest.mark.parametrize("text", ["수천억", "수십", "몇백만"])
def test_parse_number_vague(text: str) -> None:
    with pytest.raises(ValueError, match="vague number"):
        parse_number(text)


# --- to_tonnes ----------------------------------------------------------------------------

@pytest.mark.parametrize(("qty", "unit", "expected"), [
    (D(100), "t", D(100)),
    (D(2500), "kg", D("2.5")),
    (D(1000000), "lb", D("453.59237")),
    (D(5), "USD", None),
    (D(30), "%", None),
    (D(3), "count", None),
])
def test_to_tonnes(qty: Decimal, unit: str, expected: Decimal | None) -> None:
    assert to_tonnes(qty, unit) == expected


# --- periods ------------------------------------------------------------------------------

PERIOD_CASES = [
    ("올해", KO_DATE, date(2025, 1, 1), date(2025, 12, 31)),
    ("내년", KO_DATE, date(2026, 1, 1), date(2026, 12, 31)),
    ("작년", KO_DATE, date(2024, 1, 1), date(2024, 12, 31)),
    ("지난해", EN_DATE, date(2021, 1, 1), date(2021, 12, 31)),
    ("this year", EN_DATE, date(2022, 1, 1), date(2022, 12, 31)),
    ("next year", EN_DATE, date(2023, 1, 1), date(2023, 12, 31)),
    ("last year", EN_DATE, date(2021, 1, 1), date(2021, 12, 31)),
    ("from 2028", None, date(2028, 1, 1), None),
    ("2028년부터", None, date(2028, 1, 1), None),
    ("over five years", EN_DATE, date(2022, 9, 1), date(2027, 8, 31)),
    ("over the next decade", KO_DATE, date(2025, 9, 22), date(2035, 9, 21)),
    ("향후 5년간", KO_DATE, date(2025, 9, 22), date(2030, 9, 21)),
    ("by 2030", None, None, date(2030, 12, 31)),
    ("2030년까지", None, None, date(2030, 12, 31)),
    ("between 2013 and 2018", None, date(2013, 1, 1), date(2018, 12, 31)),
    ("Between 2013 and 2018", None, date(2013, 1, 1), date(2018, 12, 31)),
    ("from 2025 to 2032", None, date(2025, 1, 1), date(2032, 12, 31)),
    ("2025~2032년", None, date(2025, 1, 1), date(2032, 12, 31)),
    ("2013년부터 2018년까지", None, date(2013, 1, 1), date(2018, 12, 31)),
    ("in 2026", None, date(2026, 1, 1), date(2026, 12, 31)),
    ("2026년", None, date(2026, 1, 1), date(2026, 12, 31)),
    ("2026", None, date(2026, 1, 1), date(2026, 12, 31)),
    ("6월까지", KO_DATE, None, date(2025, 6, 30)),
    ("6월까지", EN_DATE, None, date(2022, 6, 30)),
    ("2026년 6월까지", None, None, date(2026, 6, 30)),
    ("in June", EN_DATE, date(2022, 6, 1), date(2022, 6, 30)),
    ("by June 2026", None, None, date(2026, 6, 30)),
    ("내년부터", KO_DATE, date(2026, 1, 1), None),
    ("올해 말까지", KO_DATE, None, date(2025, 12, 31)),
    ("from next year", EN_DATE, date(2023, 1, 1), None),
    ("지난 18일", KO_DATE, date(2025, 9, 18), date(2025, 9, 18)),
    ("지난 25일", KO_DATE, date(2025, 8, 25), date(2025, 8, 25)),
    ("수요일", KO_DATE, date(2025, 9, 17), date(2025, 9, 17)),
    ("Monday", KO_DATE, date(2025, 9, 22), date(2025, 9, 22)),
    ("within 20 years", EN_DATE, date(2022, 9, 1), date(2042, 8, 31)),
    ("지난달", KO_DATE, date(2025, 8, 1), date(2025, 8, 31)),
]


@pytest.mark.parametrize(("phrase", "article", "start", "end"), PERIOD_CASES)
def test_resolve_period(phrase: str, article: date | None, start: date | None,
                        end: date | None) -> None:
    assert resolve_period(phrase, article) == Period(start, end, phrase)


@pytest.mark.parametrize("phrase", ["someday", "향후 몇 년간", "over the coming months", "", "  "])
def test_resolve_period_unknown(phrase: str) -> None:
    with pytest.raises(ValueError, match="unknown period phrase"):
        resolve_period(phrase, KO_DATE)


@pytest.mark.parametrize("phrase", ["올해", "next year", "6월까지", "over five years", "지난 18일"])
def test_resolve_period_needs_article_date(phrase: str) -> None:
    with pytest.raises(ValueError, match="article date is unknown"):
        resolve_period(phrase, None)


def test_resolve_period_backwards_range() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        resolve_period("from 2030 to 2020", None)


def test_find_periods_korean() -> None:
    text = ("고려아연은 올해 100톤, 내년 240톤 이상의 안티모니를 미국에 공급할 계획이다. "
            "2028년부터 연간 10톤의 게르마늄을 생산할 예정이다. 한국이 6월까지 의장을 맡는다.")
    got = [(text[s:e], p.start, p.end) for s, e, p in find_periods(text, KO_DATE)]
    assert got == [
        ("올해", date(2025, 1, 1), date(2025, 12, 31)),
        ("내년", date(2026, 1, 1), date(2026, 12, 31)),
        ("2028년부터", date(2028, 1, 1), None),
        ("6월까지", None, date(2025, 6, 30)),
    ]


def test_find_periods_english() -> None:
    text = ("provides $7 billion in support over five years. Between 2013 and 2018, it invested "
            "$86.2 billion. A CAGR of 9.5% from 2025 to 2032; a 300% surge by 2030. "
            "MSP, launched in June, may grow.")
    got = [(text[s:e], p.start, p.end) for s, e, p in find_periods(text, EN_DATE)]
    assert got == [
        ("over five years", date(2022, 9, 1), date(2027, 8, 31)),
        ("Between 2013 and 2018", date(2013, 1, 1), date(2018, 12, 31)),
        ("from 2025 to 2032", date(2025, 1, 1), date(2032, 12, 31)),
        ("by 2030", None, date(2030, 12, 31)),
        ("in June", date(2022, 6, 1), date(2022, 6, 30)),
    ]


def test_find_periods_skips_relative_without_date() -> None:
    got = [p.text for _, _, p in find_periods("올해 100톤, 2028년부터 연간 10톤", None)]
    assert got == ["2028년부터"]


def test_find_periods_ignores_dates_and_ids() -> None:
    text = "2025.09.19 photo@newsis.com NISI20250919_0001948096 Sep 24, 2025 5:37 am"
    assert find_periods(text, KO_DATE) == []


# --- lexicon ------------------------------------------------------------------------------

def test_load_units_is_cached() -> None:
    assert load_units() is load_units()


def test_load_units_explicit_path() -> None:
    path = Path(__file__).resolve().parents[1] / "seeds" / "reference" / "units.yaml"
    lex = load_units(path)
    assert "USD" in lex.allowed_units
    assert parse_quantities("10만톤", lex)[0].quantity == D(100000)


# --- properties ---------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_quantities_never_raises(text: str) -> None:
    for q in parse_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start < q.end


_pieces = st.sampled_from(["10만톤", " ", "약 ", "$", "2.5bn", "최대 ", "50개 이상", "over ",
                           "300%", "tonnes", " a year", "수천억 달러", "1,400억원", "five ",
                           "countries", "2028년", "-", "~", "0", "9", "억", "만", ","])


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_parse_quantities_spans_on_numeric_soup(text: str) -> None:
    prev_end = 0
    for q in parse_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start >= prev_end  # in order, non-overlapping
        prev_end = q.end


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_find_periods_never_raises(text: str) -> None:
    for s, e, p in find_periods(text, KO_DATE):
        assert text[s:e] == p.text


# ------------------------------------------------------------------------------ language


def test_one_language_rule_for_ingest_transform_and_extractor():
    from etl.ingest.metadata import detect_language as ingest_language
    from etl.text.language import detect_language

    korean_full_of_latin = "엘지에너지솔루션이 Albemarle Corp.와 LiOH 장기 공급 계약을 맺었다 (NYSE: ALB)."  # 45% Hangul
    english_with_a_korean_name = "POSCO Future M (포스코퓨처엠) signed a graphite supply deal with a Tanzanian miner."
    assert detect_language(korean_full_of_latin) == "ko"  # Hangul is a minority of letters, but over 30%
    assert detect_language(english_with_a_korean_name) == "en"
    assert detect_language("12,000 t — 2027") == "en"  # no letters
    found = ingest_language(korean_full_of_latin)
    assert found.value == "ko" and "Hangul is" in found.how
