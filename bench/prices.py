"""The dated AWS price table (bench/prices.md) as data: one source of numbers for code and readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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
