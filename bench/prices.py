"""The dated AWS price table (bench/prices.md) as data: one source of numbers for code and readers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES_FILE = Path(__file__).resolve().parent / "prices.md"
HOURS_PER_MONTH = 730
# `each`: a price per quantity (GB, 1,000 requests), never an idle cost.
UNITS = ("hour", "month", "none", "each")

_ROW = re.compile(r"^\|\s*`(?P<key>[a-z0-9_]+)`\s*\|(?P<item>[^|]*)\|(?P<price>[^|]*)\|(?P<unit>[^|]*)\|")
_META = re.compile(r"^- \*\*(?P<name>Dated|Region):\*\*\s*(?P<value>[^\s;(]+)")


@dataclass(frozen=True)
class Price:
    key: str
    item: str
    usd: float
    unit: str  # hour | month | none | each

    @property
    def monthly(self) -> float:
        return {"hour": self.usd * HOURS_PER_MONTH, "month": self.usd, "none": 0.0, "each": 0.0}[self.unit]


@dataclass(frozen=True)
class PriceTable:
    dated: str
    region: str
    prices: dict[str, Price]

    def __getitem__(self, key: str) -> Price:
        return self.prices[key]


def parse_prices(text: str) -> PriceTable:
    """Read the Markdown table; a malformed row is an error, not a silently missing price."""
    prices: dict[str, Price] = {}
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if found := _META.match(line):
            meta[found["name"].lower()] = found["value"].rstrip(".,")
        found = _ROW.match(line)
        if not found:
            continue
        unit = found["unit"].strip()
        if unit not in UNITS:
            raise ValueError(f"price {found['key']}: unit '{unit}' is not one of {UNITS}")
        try:
            usd = float(found["price"].strip())
        except ValueError:
            raise ValueError(f"price {found['key']}: '{found['price'].strip()}' is not a number") from None
        if found["key"] in prices:
            raise ValueError(f"price {found['key']} appears twice")
        prices[found["key"]] = Price(found["key"], found["item"].strip(), usd, unit)
    if "dated" not in meta or "region" not in meta:
        raise ValueError("the price table must say when it is dated and for which region")
    return PriceTable(dated=meta["dated"], region=meta["region"], prices=prices)


def load_prices(path: Path = PRICES_FILE) -> PriceTable:
    return parse_prices(path.read_text())


def load_price_tables(folder: Path = PRICES_FILE.parent) -> dict[str, PriceTable]:
    """Every price table (`prices*.md`, one region each) by the region it says it is for."""
    tables: dict[str, PriceTable] = {}
    for path in sorted(folder.glob("prices*.md")):
        table = load_prices(path)
        if table.region in tables:
            raise ValueError(f"{path.name}: a second price table for {table.region}")
        tables[table.region] = table
    return tables


@dataclass(frozen=True)
class RegionPrices:
    """The table a stack is priced with: its region's, or another region's (borrowed), which the label names."""

    table: PriceTable
    # The stack's region (aws:region); None when the plan does not say.
    region: str | None

    @property
    def borrowed(self) -> bool:
        return self.region is not None and self.region != self.table.region

    def label(self) -> str:
        dated = f"AWS list prices dated {self.table.dated}"
        if self.borrowed:
            return (
                f"priced as {self.table.region}: the price data (bench/prices.md) has no prices for {self.region}, "
                f"whose prices differ; {dated}"
            )
        return f"{dated} for {self.table.region}"


def prices_for(region: str | None, tables: Mapping[str, PriceTable] | None = None) -> RegionPrices:
    """The stack region's own table when the price data has one, else the default table (bench/prices.md)."""
    tables = load_price_tables() if tables is None else tables
    if region is not None and region in tables:
        return RegionPrices(tables[region], region)
    default = load_prices()
    return RegionPrices(tables.get(default.region, default), region)


def stack_region(document: Mapping[str, Any]) -> str | None:
    """The region a plan's resources are created in: the `awsRegion` output, else the main AWS provider's
    (a stack may have more, e.g. `aws-replica` for the assets replica in another region)."""
    region = (document.get("outputs") or {}).get("awsRegion")
    if region:
        return str(region)
    providers = [r for r in document.get("resources") or [] if str(r.get("type", "")) == "pulumi:providers:aws"]
    providers.sort(key=lambda r: r.get("name") != "aws")
    for resource in providers:
        if region := (resource.get("inputs") or {}).get("region"):
            return str(region)
    return None
