"""The reporting layer: views, their columns and comments, the facts the seeds imply, the saved
example queries, the read-only role, the migration round trip, exports, report and docs."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from alembic import command
from conftest import ROOT, critmin, query
from psycopg import sql

from etl.db.migrate import alembic_config
from etl.errors import UsageError
from etl.reporting import dictionary, roles, views
from etl.reporting.contract import load_contract

SQL_DIR = ROOT / "sql"
EXAMPLES = sorted((SQL_DIR / "examples").glob("*.sql"))
NEWSIS = "newsis-2025-09-22-korea-fills-us-supply-chain"
AINVEST = "ainvest-2025-09-24-posco-reelement-partnership"
ASIAE = "asiae-2022-kita-critical-minerals-strategies"
ARCHYDE = "archyde-2022-09-us-mineral-security-partnership"
POSCO_RE = "posco-international-reelement-us-rare-earth-magnet-complex"
SK_EXXON = "sk-on-exxonmobil-lithium-offtake-mou"
MSP = "minerals-security-partnership"

TEXT, DATE, BOOL, INT, NUM, TS = "text", "date", "boolean", "integer", "numeric", "timestamp"
TYPE_GROUPS = {
    "text": TEXT, "character varying": TEXT, "date": DATE, "boolean": BOOL, "bigint": INT,
    "integer": INT, "numeric": NUM, "timestamp with time zone": TS,
}

# Every view's columns, in order, with the type group a BI tool sees: from the reporting contract.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    view.name: [(c.name, TYPE_GROUPS[c.type.split("(")[0]]) for c in view.columns] for view in load_contract().views
}
# Row counts on the repository's seeds (the note of issue 4 lists them; issue 15's data fixes changed
# agreements 22 → 23 (the 2022 China controls split off), agreement_parties 51 → 44 (attendees of the
# FORGE and MSP meetings are participations, not parties to the agreement), volumes 17 → 16 (the
# germanium "30%" is a market claim), parties 44 → 45 (POSCO apart from POSCO Holdings),
# country_links 40 → 7, timeline 34 → 36 (the 2026 tightening and easing), conflicts 1 → 0 (10 vs 11
# MSP countries count on different bases)).
SEED_ROWS = {
    "agreements": 23, "agreement_parties": 44, "volumes": 16, "parties": 45, "mineral_summary": 8,
    "country_links": 7, "sources": 5, "volume_schedule": 6, "timeline": 36, "conflicts": 0,
    "evidence": 111, "participations": 16, "agreement_relations": 1, "agreement_terms": 3,
    "party_identifiers": 25, "products": 7,
}


def _migration(name: str):
    path = next((ROOT / "migrations" / "versions").glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _migration_views() -> tuple[str, ...]:
    """The views revision 0002 created plus those later revisions added."""
    return (*_migration("0002").VIEWS, *_migration("0008").NEW_VIEWS)


def _rows(url: str, statement: str, params: tuple = ()) -> list[dict]:
    with psycopg.connect(url) as conn:
        cur = conn.execute(statement, params)
        names = [d.name for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _login_url(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{parts.hostname}:{parts.port}"))


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def reader(server_url):
    """(name, password) of a login in critmin_reader, created through etl.reporting.roles and dropped after."""
    name = f"critmin_test_reader_{uuid.uuid4().hex[:8]}"
    password = roles.generate_password()
    roles.ensure_reader_login(server_url, name, password)
    yield name, password
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


@pytest.fixture
def reader_url(loaded_db, reader) -> str:
    return _login_url(loaded_db, *reader)


# ------------------------------------------------------------------- views and their columns


def test_every_view_file_is_applied_by_the_migration_and_exists(db):
    files = views.view_names()
    assert files == sorted(COLUMNS)
    assert sorted(_migration_views()) == files
    in_db = [r[0] for r in query(db, "select table_name from information_schema.views "
                                     "where table_schema = 'reporting' order by 1")]
    assert in_db == files


@pytest.mark.parametrize("view", sorted(COLUMNS))
def test_view_has_its_documented_columns_typed_for_bi(db, view):
    actual = query(db, """select column_name, data_type from information_schema.columns
                          where table_schema = 'reporting' and table_name = %s order by ordinal_position""", (view,))
    assert [(name, TYPE_GROUPS.get(data_type, data_type)) for name, data_type in actual] == COLUMNS[view]
    assert not {t for _, t in actual} & {"json", "jsonb", "ARRAY", "USER-DEFINED"}


def test_every_view_and_column_has_a_comment(db):
    catalog = views.list_views(db)
    assert {v.name for v in catalog} == set(COLUMNS)
    for view in catalog:
        assert view.comment and len(view.comment) > 30, view.name
        missing = [c.name for c in view.columns if not (c.comment or "").strip()]
        assert missing == [], f"reporting.{view.name}: columns without a comment: {missing}"


def test_view_files_follow_the_shape(db):
    for path in sorted((SQL_DIR / "reporting").glob("*.sql")):
        text = path.read_text()
        assert text.startswith(f"create or replace view reporting.{path.stem} as\n"), path.name
        assert "\nselect * from final;\n" in text, path.name
        assert f"comment on view reporting.{path.stem} is" in text, path.name
        assert text.count(f"comment on column reporting.{path.stem}.") == len(COLUMNS[path.stem]), path.name


# ------------------------------------------------------------------- facts the seeds imply


def test_row_counts_on_the_seeds(loaded_db):
    for view, expected in SEED_ROWS.items():
        assert query(loaded_db, f"select count(*) from reporting.{view}") == [(expected,)], view


def test_volume_schedule_antimony_100_t_in_2025_and_240_t_in_2026(loaded_db):
    rows = query(loaded_db, """select calendar_year, tonnes, bounds from reporting.volume_schedule
                               where mineral = 'antimony' order by 1""")
    assert rows == [(2025, Decimal("100"), "exact"), (2026, Decimal("240"), "at_least")]
    # open-ended yearly rate: Korea Zinc's 10 t of germanium a year from 2028, counted once
    assert query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule where mineral = 'germanium'") == [
        (2028, Decimal("10"))]
    # one-off money in its start year: the 2013-2018 $86.2 billion in 2013 only
    assert query(loaded_db, "select calendar_year, amount_usd from reporting.volume_schedule "
                            "where agreement_ids = 'china-overseas-mine-investment-2013-2018'") == [
        (2013, Decimal("86200000000"))]


def _add_article(conn: psycopg.Connection, article_id: str, published_on: str, body: str) -> str:
    conn.execute("""insert into core.article (article_id, title, published_on, published_precision, language,
                                              body, content_hash)
                    values (%s, 'Later report', %s, 'day', 'en', %s, 'h')""", (article_id, published_on, body))
    evidence_id = f"{article_id}:0-{len(body)}"
    conn.execute("insert into core.evidence values (%s, %s, 0, %s, %s)", (evidence_id, article_id, len(body), body))
    return evidence_id


def test_volume_schedule_spreads_yearly_rates_over_their_period(loaded_db):
    with psycopg.connect(loaded_db) as conn:
        evidence_id = _add_article(conn, "test-later-report", "2026-06-01", "5 t of tin a year in 2027-2029")
        conn.execute("""insert into core.agreement (agreement_id, title, kind) values ('test-tin', 'Tin', 'offtake')""")
        conn.execute("""insert into core.volume (volume_id, agreement_id, article_id, evidence_id, mineral_id, measure,
                            quantity, unit, bound, per_year, period_start, period_end, quantity_tonnes)
                        values ('v-test', 'test-tin', 'test-later-report', %s, 'tin', 'mass', 5, 't', 'exact', true,
                                '2027-03-01', '2029-12-31', 5)""", (evidence_id,))
    # written by hand, not by a load: the stored marts are refreshed by `critmin refresh`
    assert query(loaded_db, "select count(*) from reporting.volume_schedule where mineral = 'tin'") == [(0,)]
    assert critmin("refresh", env={"DATABASE_URL": loaded_db}).returncode == 0
    assert query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule where mineral = 'tin' order by 1") == [
        (2027, Decimal("5")), (2028, Decimal("5")), (2029, Decimal("5"))]


def test_current_status_comes_from_the_latest_published_source(loaded_db):
    before = _rows(loaded_db, "select status, is_binding from reporting.agreements where agreement_id = %s", (SK_EXXON,))
    assert before == [{"status": "non_binding", "is_binding": False}]
    with psycopg.connect(loaded_db) as conn:
        evidence_id = _add_article(conn, "test-later-report", "2026-06-01", "SK On and ExxonMobil signed the offtake")
        conn.execute("insert into core.agreement_status (agreement_id, article_id, status, evidence_id) "
                     "values (%s, 'test-later-report', 'signed', %s)", (SK_EXXON, evidence_id))
    after = _rows(loaded_db, "select status, is_binding, source_count from reporting.agreements where agreement_id = %s",
                  (SK_EXXON,))
    assert after == [{"status": "signed", "is_binding": True, "source_count": 2}]
    history = query(loaded_db, """select event_on, status, is_status_change, article_id from reporting.timeline
                                  where agreement_id = %s and event_type = 'status_reported' order by 1""", (SK_EXXON,))
    assert history == [(date(2025, 9, 22), "non_binding", True, NEWSIS),
                       (date(2026, 6, 1), "signed", True, "test-later-report")]


def test_posco_reelement_has_two_sources(loaded_db):
    rows = _rows(loaded_db, "select * from reporting.agreements where agreement_id = %s", (POSCO_RE,))
    assert len(rows) == 1
    row = rows[0]
    assert row["source_count"] == 2
    assert (row["kind"], row["status"], row["is_binding"]) == ("mou", "signed", False)
    assert row["announced_on"] == date(2025, 9, 18)
    assert row["minerals"] == "rare_earths"
    assert row["countries"] == "KR, US"
    assert row["party_names"] == "POSCO International, ReElement Technologies, United States"
    parties = query(loaded_db, """select party_id, role, source_count from reporting.agreement_parties
                                  where agreement_id = %s order by 1""", (POSCO_RE,))
    assert parties == [("posco-international", "partner", 2), ("reelement-technologies", "partner", 2),
                       ("united-states", "host", 2)]


def test_sk_on_exxonmobil_up_to_100000_t_lithium_non_binding(loaded_db):
    rows = _rows(loaded_db, """select v.mineral, v.quantity, v.unit, v.bound, v.quantity_tonnes, v.evidence, a.status
                               from reporting.volumes v join reporting.agreements a using (agreement_id)
                               where v.agreement_id = %s""", (SK_EXXON,))
    assert rows == [{"mineral": "lithium", "quantity": Decimal("100000"), "unit": "t", "bound": "up_to",
                     "quantity_tonnes": Decimal("100000"), "evidence": "최대 10만톤 규모의 리튬",
                     "status": "non_binding"}]


def test_msp_10_vs_11_countries_is_a_counting_basis_not_a_conflict(loaded_db):
    assert _rows(loaded_db, "select * from reporting.conflicts where agreement_id = %s", (MSP,)) == []
    counts = query(loaded_db, """select quantity, counting_basis, article_id from reporting.volumes
                                 where agreement_id = %s and unit = 'count' order by 1""", (MSP,))
    assert [(q, a) for q, _, a in counts] == [(Decimal(8), ARCHYDE), (Decimal(10), ASIAE), (Decimal(11), ARCHYDE)]
    assert "plus the EU" in counts[2][1] and "countries only" in counts[1][1] and "attendees" in counts[0][1]


def test_same_count_on_one_basis_is_still_a_conflict(loaded_db):
    """The counting basis only separates figures that say what they count differently."""
    with psycopg.connect(loaded_db) as conn:
        evidence_id = _add_article(conn, "test-later-report", "2026-06-01", "MSP partners: 14")
        conn.execute("insert into core.agreement_status (agreement_id, article_id, status, evidence_id) "
                     "values (%s, 'test-later-report', 'in_force', %s)", (MSP, evidence_id))
        conn.execute("""insert into core.volume (volume_id, agreement_id, article_id, evidence_id, measure, quantity,
                            unit, bound, per_year, counting_basis)
                        values ('v-test', %s, 'test-later-report', %s, 'count', 14, 'count', 'exact', false,
                                'partners including the European Union (10 countries plus the EU)')""",
                     (MSP, evidence_id))
    rows = query(loaded_db, "select quantity_a, quantity_b, article_id_b from reporting.conflicts where agreement_id = %s",
                 (MSP,))
    assert rows == [(Decimal("11"), Decimal("14"), "test-later-report")]


def test_forge_succeeds_msp_and_korea_chairs_until_june_2026(loaded_db):
    relations = query(loaded_db, """select agreement_id, relation_kind, related_agreement_id, related_agreement_title
                                    from reporting.agreement_relations""")
    assert relations == [("forge-critical-minerals-initiative", "succeeds", MSP, "Minerals Security Partnership (MSP)")]
    chairs = query(loaded_db, """select agreement_id, party_id, valid_to_on, valid_to_precision, evidence
                                 from reporting.participations where participation_role = 'chair'""")
    assert chairs == [("forge-critical-minerals-initiative", "south-korea", date(2026, 6, 1), "month",
                       "한국이 6월까지 의장을 맡는다")]


def test_no_attendee_is_counted_as_a_member(loaded_db):
    attendees = query(loaded_db, """select agreement_id, string_agg(party_id, ',' order by party_id)
                                    from reporting.participations where participation_role = 'attendee'
                                    group by 1 order by 1""")
    assert attendees == [
        ("forge-critical-minerals-initiative", "australia,democratic-republic-of-the-congo,european-union,india,"
                                               "japan,south-korea,united-kingdom"),
        (MSP, "brazil,mongolia,zambia")]
    assert query(loaded_db, "select count(*) from reporting.participations "
                            "where participation_role = 'attendee' and is_member") == [(0,)]
    members = query(loaded_db, """select agreement_id, count(*) from reporting.participations where is_member
                                  group by 1 order by 1""")
    assert members == [("forge-critical-minerals-initiative", 2), (MSP, 4)]
    # nor is an attendee a party to the agreement with a role
    forge = query(loaded_db, """select party_id, role from reporting.agreement_parties
                                where agreement_id = 'forge-critical-minerals-initiative' order by 1""")
    assert forge == [("south-korea", "chair"), ("united-states", "issuer"), ("us-department-of-state", "host")]
    msp = {p for p, in query(loaded_db, "select party_id from reporting.agreement_parties where agreement_id = %s", (MSP,))}
    assert not msp & {"brazil", "mongolia", "zambia"}


def test_forge_reference_prices_and_price_floors(loaded_db):
    terms = query(loaded_db, """select agreement_id, price_mechanism, price_value, evidence from reporting.agreement_terms
                                order by price_mechanism, evidence""")
    assert [(a, m, v) for a, m, v, _ in terms] == [
        ("forge-critical-minerals-initiative", "floor", None),
        ("forge-critical-minerals-initiative", "floor", None),
        ("forge-critical-minerals-initiative", "reference_price", None)]
    assert "“기준 가격”" in terms[2][3] and any("price floors" in t[3] for t in terms)


def test_china_export_controls_keep_the_2026_easing(loaded_db):
    events = query(loaded_db, """select event_type, article_id from reporting.timeline
                                 where agreement_id = 'china-critical-mineral-export-controls'
                                   and event_type in ('tightened', 'eased') order by 1""")
    assert events == [("eased", "unknown-2026-02-us-critical-minerals-initiative"),
                      ("tightened", "unknown-2026-02-us-critical-minerals-initiative")]
    assert query(loaded_db, "select lifecycle_state, status from reporting.agreements "
                            "where agreement_id = 'china-critical-mineral-export-controls'") == [("eased", "in_force")]
    # the 2022 report is an agreement of its own, with its own title
    assert query(loaded_db, "select source_count from reporting.agreements "
                            "where agreement_id = 'china-rare-earth-controls-2022'") == [(1,)]


def test_month_precision_dates_do_not_precede_the_events_reported(loaded_db):
    rows = query(loaded_db, """select article_id, publisher, original_publisher, is_ai_generated, published_not_before
                               from reporting.sources order by 1""")
    assert rows == [
        (AINVEST, "AInvest", None, True, None),
        (ARCHYDE, "Archyde", "YTN", False, None),
        (ASIAE, "The Asia Business Daily", None, False, date(2022, 6, 1)),
        (NEWSIS, "Newsis", None, False, None),
        ("unknown-2026-02-us-critical-minerals-initiative", None, None, True, date(2026, 2, 4))]
    reported = query(loaded_db, """select min(event_on) from reporting.timeline
                                   where article_id = 'unknown-2026-02-us-critical-minerals-initiative'
                                     and event_type = 'status_reported'""")
    assert reported == [(date(2026, 2, 4),)]


def test_products_keep_compound_tonnes_apart_from_metal(loaded_db):
    """A product with a documented factor counts as contained mineral; one without never counts as tonnes."""
    with psycopg.connect(loaded_db) as conn:
        evidence_id = _add_article(conn, "test-later-report", "2026-06-01", "1,000 t of lithium carbonate and hydroxide")
        conn.execute("insert into core.agreement (agreement_id, title, kind) values ('test-li', 'Li', 'offtake')")
        for vid, product, tonnes in (("v-carb", "lithium_carbonate", "187.852"), ("v-hyd", "lithium_hydroxide", None)):
            conn.execute("""insert into core.volume (volume_id, agreement_id, article_id, evidence_id, mineral_id,
                                measure, quantity, unit, bound, per_year, period_start, period_end, quantity_tonnes,
                                product_id)
                            values (%s, 'test-li', 'test-later-report', %s, 'lithium', 'mass', 1000, 't', 'exact',
                                    false, '2027-01-01', '2027-12-31', %s, %s)""", (vid, evidence_id, tonnes, product))
    # written by hand, not by a load: the stored marts are refreshed by `critmin refresh`
    assert critmin("refresh", env={"DATABASE_URL": loaded_db}).returncode == 0
    assert query(loaded_db, "select tonnes from reporting.volume_schedule where mineral = 'lithium'") == [
        (Decimal("187.852000"),)], "the hydroxide (no factor) must not add 1000 t of compound"
    lce = _rows(loaded_db, (SQL_DIR / "examples" / "lithium_lce_per_year.sql").read_text())
    assert [(r["calendar_year"], r["stated_as"], r["lce_tonnes"], r["contained_lithium_tonnes"]) for r in lce] == [
        (2027, "lithium_carbonate", Decimal("1000.000000"), Decimal("187.852000")),
        (2027, "lithium_hydroxide", None, None),
        (None, "lithium (form not stated)", None, Decimal("100000.000000"))]
    assert query(loaded_db, "select volume_count from reporting.products where product_id = 'lithium_carbonate'") == [(1,)]


def test_party_identifiers_have_sources(loaded_db):
    rows = query(loaded_db, "select party_id, scheme, value, source from reporting.party_identifiers")
    assert all(source for *_, source in rows)
    assert ("posco-holdings", "ticker", "NYSE:PKX") in {r[:3] for r in rows}
    assert ("united-states", "wikidata", "Q30") in {r[:3] for r in rows}
    # POSCO (the steel company) is a party of its own, a subsidiary of POSCO Holdings
    assert query(loaded_db, "select parent_party_id from reporting.parties where party_id = 'posco'") == [
        ("posco-holdings",)]


def test_parties_minerals_countries_and_sources(loaded_db):
    assert query(loaded_db, "select name_ko, country_code, agreement_count from reporting.parties "
                            "where party_id = 'korea-zinc'") == [("고려아연", "KR", 3)]
    assert query(loaded_db, "select parent_name from reporting.parties where party_id = 'reelement-technologies'") == [
        ("American Resources Corporation",)]
    assert query(loaded_db, "select agreement_count, stated_tonnes, countries from reporting.mineral_summary "
                            "where mineral_id = 'antimony'") == [(1, Decimal("340"), "KR, US")]
    assert query(loaded_db, "select country_a_name, country_b_name, agreement_count from reporting.country_links "
                            "order by agreement_count desc, 1, 2 limit 1") == [("South Korea", "United States", 6)]
    assert query(loaded_db, "select volume_count, agreement_count from reporting.sources where article_id = %s",
                 (NEWSIS,)) == [(5, 6)]  # issue 15: the germanium "30%" is a claim, not a volume


def test_timeline_has_announcements_with_their_source(loaded_db):
    rows = query(loaded_db, """select event_on, article_id from reporting.timeline
                               where event_type = 'announced' and agreement_id in (%s, %s) order by 1""", (MSP, POSCO_RE))
    assert rows == [(date(2022, 6, 14), ARCHYDE), (date(2025, 9, 18), NEWSIS)]


def test_evidence_quotes_are_the_article_text_at_their_offsets(loaded_db):
    mismatched = query(loaded_db, """
        select e.fact_id from reporting.evidence e join core.article a using (article_id)
        where substr(a.body, e.start_offset + 1, e.end_offset - e.start_offset) <> e.quote""")
    assert mismatched == []
    facts = query(loaded_db, "select fact_type, count(*) from reporting.evidence group by 1 order by 1")
    assert facts == [("agreement_status", 27), ("market_claim", 5), ("party_mention", 63), ("volume", 16)]
    antimony = _rows(loaded_db, """select e.fact_summary, e.quote, e.article_id from reporting.evidence e
                                   join reporting.volumes v on v.volume_id = e.fact_id
                                   where v.mineral = 'antimony' and v.quantity = 240""")
    assert antimony == [{"fact_summary": "at_least 240 t antimony", "quote": "내년 240톤 이상의 안티모니",
                         "article_id": NEWSIS}]


def test_views_are_empty_not_broken_on_an_empty_database(db):
    for view in COLUMNS:
        assert query(db, f"select count(*) from reporting.{view}") == [(0,)]


# ------------------------------------------------------------------------- saved examples


def _names(rows, column):
    return [r[column] for r in rows]


EXPECTED_EXAMPLES = {
    # issue 15: the germanium deal is supply-chain cooperation between partners, not supply
    "korean_companies_supplying_us": lambda rows: [(r["korean_company"], r["mineral"], r["us_counterparties"])
                                                   for r in rows] == [("Korea Zinc", "antimony", "United States")],
    "tonnes_per_mineral_per_year": lambda rows: [(r["mineral"], r["calendar_year"], r["tonnes"]) for r in rows] == [
        ("antimony", 2025, 100), ("antimony", 2026, 240), ("germanium", 2028, 10)],
    "non_binding_agreements": lambda rows: _names(rows, "agreement_id") == [POSCO_RE, SK_EXXON],
    "source_disagreements": lambda rows: rows == [],  # 10 vs 11 MSP countries: different counting bases
    "where_numbers_came_from": lambda rows: len(rows) == 16 and all(r["quote"] for r in rows)
        and {"올해 100톤", "11 partner countries"} <= set(_names(rows, "quote")),
    "parties_by_country": lambda rows: (rows[0]["country_code"], rows[0]["party_count"]) == ("US", 12)
        and sum(_names(rows, "party_count")) == 45,
    "strongest_country_links": lambda rows: len(rows) == 7
        and (rows[0]["country_a_name"], rows[0]["country_b_name"], rows[0]["agreement_count"])
        == ("South Korea", "United States", 6),
    # the asiae article is dated 2022 (precision year) but not before the MSP launch of June 2022
    "status_history": lambda rows: len(rows) == 36 and rows[0]["event_on"] == date(2022, 6, 1),
    "minerals_by_reach": lambda rows: (rows[0]["mineral_id"], rows[0]["agreement_count"]) == ("rare_earths", 7),
    "agreements_with_several_sources": lambda rows: _names(rows, "agreement_id") == [
        "china-critical-mineral-export-controls", MSP, POSCO_RE, "us-inflation-reduction-act"],
    "money_committed": lambda rows: rows[0]["amount_usd"] == Decimal("86200000000")
        and len(rows) == 6,
    "who_chaired_forge_when": lambda rows: [(r["agreement_title"][:5], r["party_name"], r["participation_role"],
                                            r["valid_to_on"], r["valid_to_precision"]) for r in rows if r["is_member"]] == [
        ("FORGE", "South Korea", "chair", date(2026, 6, 1), "month"),
        ("FORGE", "United States", "founding_member", None, "unknown"),
        ("Miner", "United States", "founding_member", None, "unknown"),
        ("Miner", "Canada", "member", None, "unknown"), ("Miner", "Japan", "member", None, "unknown"),
        ("Miner", "South Korea", "member", None, "unknown")]
        and sum(1 for r in rows if not r["is_member"]) == 10,
    "deals_with_price_floors": lambda rows: [(r["agreement_id"], r["price_mechanism"]) for r in rows] == [
        ("forge-critical-minerals-initiative", "floor"), ("forge-critical-minerals-initiative", "floor"),
        ("forge-critical-minerals-initiative", "reference_price")],
    # on the seeds: one lithium figure, of bare "lithium" (no LCE); the conversion is pinned in
    # test_products_keep_compound_tonnes_apart_from_metal
    "lithium_lce_per_year": lambda rows: [(r["calendar_year"], r["stated_as"], r["lce_tonnes"],
                                           r["contained_lithium_tonnes"]) for r in rows] == [
        (None, "lithium (form not stated)", None, Decimal("100000"))],
}


def test_there_are_at_least_eight_examples_each_with_a_question():
    assert len(EXAMPLES) >= 8
    for path in EXAMPLES:
        first = path.read_text().splitlines()[0]
        assert re.match(r"^-- question: .+\?$", first), path.name
    assert {p.stem for p in EXAMPLES} == set(EXPECTED_EXAMPLES)


def test_examples_run_as_the_reader_and_return_what_the_seeds_imply(reader_url):
    for path in EXAMPLES:
        text = path.read_text()
        assert not re.search(r"\b(core|etl|mart)\.", text), f"{path.name} must query only reporting"
        rows = _rows(reader_url, text)
        assert EXPECTED_EXAMPLES[path.stem](rows), f"{path.name} returned {rows}"


# --------------------------------------------------------------------------- read-only role


def test_reader_reads_every_view_and_nothing_else(loaded_db, reader_url):
    with psycopg.connect(loaded_db, autocommit=True) as owner:
        owner.execute("create table etl.test_table (x int)")
    with psycopg.connect(reader_url, autocommit=True) as conn:
        for view in COLUMNS:
            assert conn.execute(f"select count(*) from reporting.{view}").fetchone()[0] == SEED_ROWS[view]
            granted = conn.execute(
                "select privilege from unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) as privilege "
                "where has_table_privilege(current_user, %s, privilege)", (f"reporting.{view}",)).fetchall()
            assert granted == [], view
        # Views with CTEs are not auto-updatable, so PostgreSQL refuses writes even before the privilege
        # check; either way the reader cannot write.
        for statement in ("insert into reporting.agreements (agreement_id) values ('x')",
                          "update reporting.volumes set quantity = 0",
                          "delete from reporting.parties"):
            with pytest.raises((psycopg.errors.InsufficientPrivilege,
                                psycopg.errors.ObjectNotInPrerequisiteState), match="view"):
                conn.execute(statement)
        attempts = [
            ("drop view reporting.agreements", "must be owner of view agreements"),
            ("comment on view reporting.volumes is 'mine'", "must be owner of view volumes"),
            ("create view reporting.mine as select 1 as one", "permission denied for schema reporting"),
            ("create table reporting.mine (x int)", "permission denied for schema reporting"),
            ("create table public.mine (x int)", "permission denied for schema public"),
            ("select * from core.article", "permission denied for schema core"),
            ("select * from core.volume", "permission denied for schema core"),
            ("insert into core.party (party_id) values ('x')", "permission denied for schema core"),
            ("select * from etl.run", "permission denied for schema etl"),
            ("delete from etl.rejected_row", "permission denied for schema etl"),
            ("select * from etl.test_table", "permission denied for schema etl"),
            ("create table etl.mine (x int)", "permission denied for schema etl"),
            ("select * from mart.volume_schedule_part", "permission denied for schema mart"),
            ("select * from intermediate.counted_volumes", "permission denied for schema intermediate"),
            ("select mart.refresh_totals(null)", "permission denied for schema mart"),
            ("select etl.settle_agreements(array['x'])", "permission denied for schema etl"),
        ]
        for statement, message in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=message):
                conn.execute(statement)


def test_public_has_no_privileges_on_core_etl_mart(loaded_db):
    grants = query(loaded_db, """select table_schema, table_name, privilege_type from information_schema.role_table_grants
                                 where grantee in ('PUBLIC', 'critmin_reader') and table_schema <> 'reporting'
                                   and table_schema in ('core', 'etl', 'mart', 'public')""")
    assert grants == []
    for schema in ("core", "etl", "mart", "intermediate"):
        assert query(loaded_db, "select has_schema_privilege('critmin_reader', %s, 'usage')", (schema,)) == [(False,)]
        assert query(loaded_db, "select has_schema_privilege('public', %s, 'usage')", (schema,)) == [(False,)]
    assert query(loaded_db, "select has_schema_privilege('critmin_reader', 'public', 'create')") == [(False,)]


def test_reader_login_refuses_an_existing_non_reader_role(db):
    owner = urlsplit(db).username
    with pytest.raises(UsageError, match="already exists and is not a critmin reader login"):
        roles.ensure_reader_login(db, owner, "whatever")
    with pytest.raises(UsageError, match="login name 'Bad Name' is not allowed"):
        roles.reader_sql("Bad Name", "x")


def test_create_reader_sql_only_prints_sql_that_makes_a_working_login(loaded_db):
    name = f"critmin_test_sql_{uuid.uuid4().hex[:8]}"
    result = critmin("db", "create-reader", name, "--sql-only", env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    password = re.search(r"password '([^']+)'", result.stdout)[1]
    try:
        with psycopg.connect(loaded_db, autocommit=True) as conn:
            conn.execute(result.stdout)
        with psycopg.connect(_login_url(loaded_db, name, password)) as conn:
            assert conn.execute("select count(*) from agreements").fetchone() == (23,)  # search_path = reporting
    finally:
        with psycopg.connect(loaded_db, autocommit=True) as conn:
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


def test_create_reader_creates_a_login_and_shows_the_password_once(loaded_db):
    name = f"critmin_test_cli_{uuid.uuid4().hex[:8]}"
    try:
        result = critmin("db", "create-reader", name, env={"DATABASE_URL": loaded_db})
        assert result.returncode == 0, result.stderr
        url = re.search(r"URL: (\S+)", result.stdout)[1]
        assert query(url, "select count(*) from reporting.sources") == [(5,)]
    finally:
        with psycopg.connect(loaded_db, autocommit=True) as conn:
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


def test_embedded_reader_login_uses_the_password_kept_in_critmin_home(loaded_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CRITMIN_HOME", str(tmp_path))
    from etl.db.server import READER_LOGIN, EmbeddedServer

    assert roles.ensure_embedded_reader(loaded_db) == READER_LOGIN
    password_file = EmbeddedServer().reader_password_file
    assert password_file.stat().st_mode & 0o777 == 0o600
    url = _login_url(loaded_db, READER_LOGIN, password_file.read_text().strip())
    assert query(url, "select count(*) from reporting.agreements") == [(23,)]
    roles.ensure_embedded_reader(loaded_db)  # idempotent


# ---------------------------------------------------------------------------- migrations


def _snapshot(url: str) -> list[tuple]:
    return query(url, """
        select c.relname, pg_get_viewdef(c.oid), obj_description(c.oid, 'pg_class'), c.relacl::text,
               (select string_agg(a.attname || '=' || coalesce(col_description(c.oid, a.attnum), ''), '|'
                                  order by a.attnum)
                from pg_attribute a where a.attrelid = c.oid and a.attnum > 0)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'reporting' order by 1""")


def test_downgrade_to_0001_and_upgrade_recreate_the_views_exactly(db):
    before = _snapshot(db)
    assert len(before) == len(COLUMNS)
    cfg = alembic_config(db)
    command.downgrade(cfg, "0001")
    assert _snapshot(db) == []
    assert query(db, "select has_schema_privilege('critmin_reader', 'reporting', 'usage')") == [(False,)]
    assert query(db, "select count(*) from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace "
                     "where n.nspname = 'reporting'") == [(0,)]
    assert query(db, "select 1 from pg_roles where rolname = 'critmin_reader'") == [(1,)], \
        "the cluster-wide role is kept: other databases may use it"
    command.upgrade(cfg, "head")
    assert _snapshot(db) == before


def _definitions(cur, view_files, functions) -> dict[str, str]:
    out = {}
    for v in view_files:
        cur.execute("select pg_get_viewdef(%s::regclass), obj_description(%s::regclass, 'pg_class')",
                    (f"{v.schema}.{v.name}",) * 2)
        out[f"{v.schema}.{v.name}"] = cur.fetchone()
        cur.execute("""select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a
                       where a.attrelid = %s::regclass and a.attnum > 0 order by a.attnum""", (f"{v.schema}.{v.name}",))
        out[f"{v.schema}.{v.name} columns"] = cur.fetchall()
    for name in functions:
        cur.execute("select pg_get_functiondef(p.oid) from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
                    "where n.nspname || '.' || p.proname = %s", (name,))
        out[name] = cur.fetchall()
    return out


def test_the_database_has_exactly_the_views_functions_and_comments_of_the_sql_files(db):
    """Editing a file under sql/ needs a new revision carrying its text: the migrated database's
    definitions (views, functions, comments) are what running the files again gives (alembic check
    compares the same through alembic_utils, see test_migrations)."""
    from etl.db import objects

    view_files = [v for schema in objects.VIEW_LAYERS for v in objects.view_files(schema)]
    functions = [name.removesuffix(".sql") for name, _ in objects.function_files()]
    assert {v.name for v in view_files if v.schema == "reporting"} == set(COLUMNS)
    with psycopg.connect(db) as conn, conn.cursor() as cur:
        migrated = _definitions(cur, view_files, functions)
        for v in view_files:
            for statement in (v.create, *v.comments):
                cur.execute(statement)
        for _, text in objects.function_files():
            cur.execute(text)
        assert _definitions(cur, view_files, functions) == migrated
        conn.rollback()


def test_the_drift_check_sees_an_edited_view(db):
    """alembic check fails when a view differs from its file (so the test above is not the only guard)."""
    from alembic.util.exc import AutogenerateDiffsDetected

    with psycopg.connect(db) as conn:
        conn.execute("create or replace view reporting.sources as "
                     + query(db, "select pg_get_viewdef('reporting.sources'::regclass)")[0][0]
                     .rstrip().rstrip(";") + " limit 5")
    with pytest.raises(AutogenerateDiffsDetected, match="sources"):
        command.check(alembic_config(db))


# ------------------------------------------------------------------------------- lint


def test_sqlfluff_lints_the_saved_sql_clean():
    result = subprocess.run([sys.executable, "-m", "sqlfluff", "lint", "sql",
                             "--disable-progress-bar"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------- export, report, docs


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_writes_every_view_and_a_manifest(loaded_db, tmp_path, fmt):
    out = tmp_path / "export"
    result = critmin("export", "--format", fmt, str(out), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == fmt and manifest["exported_at"]
    entries = {e["view"]: e for e in manifest["views"]}
    assert set(entries) == {f"reporting.{v}" for v in COLUMNS}
    for view, columns in COLUMNS.items():
        entry = entries[f"reporting.{view}"]
        assert entry["rows"] == SEED_ROWS[view]
        assert entry["columns"] == [c for c, _ in columns]
        assert entry["exported_at"]
        path = out / entry["file"]
        if fmt == "csv":
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
            assert rows[0] == entry["columns"] and len(rows) - 1 == entry["rows"]
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            assert table.num_rows == entry["rows"] and table.column_names == entry["columns"]
            types = dict(zip(table.column_names, table.schema.types, strict=True))
            if view == "volume_schedule":
                assert pa.types.is_decimal(types["tonnes"]) and pa.types.is_integer(types["calendar_year"])
                assert {(r["calendar_year"], r["tonnes"]) for r in table.to_pylist() if r["mineral"] == "antimony"} == {
                    (2025, Decimal("100")), (2026, Decimal("240"))}
            if view == "agreements":
                assert pa.types.is_date(types["announced_on"]) and pa.types.is_boolean(types["is_binding"])


def test_export_rejects_an_unknown_format(loaded_db, tmp_path):
    result = critmin("export", "--format", "xml", str(tmp_path), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 2
    assert "unknown export format 'xml'" in result.stderr and "Traceback" not in result.stderr


def test_report_prints_the_agreements_table(loaded_db):
    result = critmin("report", "agreements", env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    assert "reporting.agreements" in result.stdout and "23 rows" in result.stdout
    assert "sk-on-exxonmobil-lithium-offtake-mou" in result.stdout and "non_binding" in result.stdout
    default = critmin("report", env={"DATABASE_URL": loaded_db})
    assert default.returncode == 0, default.stderr
    assert "reporting.volume_schedule" in default.stdout and "reporting.conflicts" in default.stdout


def test_report_of_an_unknown_view_is_one_line_and_exit_2(loaded_db):
    result = critmin("report", "nope", env={"DATABASE_URL": loaded_db})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "unknown view 'nope'" in result.stderr


def test_docs_writes_every_view_and_column(loaded_db, tmp_path):
    target = tmp_path / "dictionary.md"
    result = critmin("docs", "--output", str(target), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    for view, columns in COLUMNS.items():
        assert f"### reporting.{view}" in text
        for column, _ in columns:
            assert f"| `{column}` |" in text, f"{view}.{column}"
    # in a file with the markers only the generated part is replaced
    readme = tmp_path / "README.md"
    readme.write_text(f"# intro\n{dictionary.DICTIONARY_BEGIN}\nold\n{dictionary.DICTIONARY_END}\n# after\n")
    assert critmin("docs", "--output", str(readme), env={"DATABASE_URL": loaded_db}).returncode == 0
    updated = readme.read_text()
    assert updated.startswith("# intro\n") and updated.endswith("# after\n") and "\nold\n" not in updated
    assert "### reporting.volume_schedule" in updated


def test_sql_readme_dictionary_is_up_to_date(db):
    readme = (SQL_DIR / "README.md").read_text()
    start = readme.index(dictionary.DICTIONARY_BEGIN) + len(dictionary.DICTIONARY_BEGIN)
    generated = readme[start:readme.index(dictionary.DICTIONARY_END)].strip()
    assert generated == dictionary.data_dictionary(db).strip(), "run `critmin docs --output sql/README.md`"


def test_sql_files_ship_in_the_package_resources():
    assert views.reporting_dir() == Path(views.resource_dir("sql")) / "reporting"
    assert views.reporting_dir().is_dir()
