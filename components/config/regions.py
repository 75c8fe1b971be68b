"""AWS regions as AWS's own partition data (shipped with botocore) lists them, not a pattern of our own."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Annotated

import botocore
from pydantic import AfterValidator


@cache
def partition_regions() -> dict[str, frozenset[str]]:
    """Partition (aws, aws-cn, aws-us-gov, ...) -> its regions, without pseudo-regions.

    Read straight from botocore's `data/partitions.json`: `botocore.loaders` would cost every evaluation a
    quarter of a second of imports for the same file.
    """
    data = json.loads((resources.files(botocore) / "data" / "partitions.json").read_text())
    return {
        partition["id"]: frozenset(
            region for region in partition.get("regions", {}) if re.match(partition["regionRegex"], region)
        )
        for partition in data["partitions"]
    }


@cache
def aws_regions() -> frozenset[str]:
    """Every region of every partition botocore knows."""
    return frozenset().union(*partition_regions().values())


def region_problem(region: str) -> str | None:
    """Why `region` is not an AWS region (with the closest real one), or None when it is one."""
    if region in aws_regions():
        return None
    close = difflib.get_close_matches(region, sorted(aws_regions()), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else " (e.g. eu-central-1)"
    return (
        f"'{region}' is not an AWS region{hint} (checked against the region list of botocore "
        f"{botocore.__version__}; for a region AWS opened since, update boto3 in requirements.txt)"
    )


def _region(value: str) -> str:
    problem = region_problem(value)
    if problem:
        raise ValueError(problem)
    return value


AwsRegion = Annotated[str, AfterValidator(_region)]
