"""`python -m bench`: run the benchmarks, print the table, write build/bench/results.json (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.cost import DEFAULT_AZS, IdleCost, idle_cost
from bench.deploy_time import deploy_figures
from bench.prices import prices_for, stack_region
from bench.report import Figure, results, table, write_results
from bench.scaling import Scaling, scaling
from components.stackfile import PROJECT_ROOT
from plan.files import load_plan

OVERHEAD_MAX = 0.5  # seconds above the import floor
RATIO_MAX = 1.7
REGISTRATION_RATIO_MAX = 1.3  # plan / registering the same resources with the same inputs (p1_floor.py)
GROWTH_AT_50_MAX = 2.0
CHAIN_MAX = 3
SES_PREFIXES = ("aws:ses/", "aws:sesv2/")
DNS_TYPE = "aws:route53/record:Record"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def evaluation_figures(plan: float, floor: float, modules: int) -> list[Figure]:
    overhead = plan - floor
    ratio = plan / floor
    return [
        Figure("P1.plan", "offline plan, full prod example", plan, "s", "", None, "best wall time, subprocess"),
        Figure("P1.floor", "import floor", floor, "s", "", None, f"importing the {modules} SDK modules the plan runs"),
        Figure("P1.overhead", "evaluation overhead", overhead, "s", f"<= {OVERHEAD_MAX} s", overhead <= OVERHEAD_MAX),
        Figure("P1.ratio", "plan / floor", ratio, "x", f"<= {RATIO_MAX}x", ratio <= RATIO_MAX),
    ]


def registration_floor_figures(
    plan: float,
    floor: float | None,
    resources: int | None = None,
    skipped: str = "",
    cpu: str = "",
    left_out: int = 0,
) -> list[Figure]:
    """Plan vs. registering its resources with the same inputs under mocks, no computation (p1_floor.py)."""
    name = "registration floor: same resources and inputs, mocks, no computation"
    target = f"<= {REGISTRATION_RATIO_MAX}x"
    if floor is None:
        note = f"skipped: {skipped or 'no floor script'}"
        return [
            Figure("P1.registration_floor", name, "skipped", "", "", None, note),
            Figure("P1.registration_ratio", "plan / registration floor", "skipped", "", target, None, note),
        ]
    ratio = plan / floor
    what = f"p1_floor.py registering the plan's {resources} custom resources" if resources else "p1_floor.py"
    if left_out:
        what += f" less {left_out} of custom-resource kinds without an SDK class (floor only lower)"
    return [
        Figure("P1.registration_floor", name, floor, "s", "", None, f"{what}, best wall time, subprocess"),
        Figure(
            "P1.registration_ratio",
            "plan / registration floor",
            ratio,
            "x",
            target,
            ratio <= REGISTRATION_RATIO_MAX,
            cpu,
        ),
    ]


def cpu_note(plan_cpu: float | None, floor_cpu: float | None) -> str:
    """The same ratio on CPU seconds, which other load on the machine disturbs less than wall time."""
    if not plan_cpu or not floor_cpu:
        return ""
    return f"CPU time: {plan_cpu:.2f} s / {floor_cpu:.2f} s = {plan_cpu / floor_cpu:.2f}x"


def scaling_figures(result: Scaling) -> list[Figure]:
    figures = [
        Figure(f"P2.plan+{n}", f"plan with {n} extra DNS records", t, "s", "", None) for n, t in result.points if n
    ]
    fit = (
        f"least squares over {len(result.points)} sizes, R^2 {result.fit.r2:.3f}, "
        f"farthest point {result.fit.max_residual * 1000:.0f} ms off the line"
    )
    figures.append(Figure("P2.per_item", "growth per added record", result.ms_per_item, "ms/item", "", None, fit))
    figures.append(
        Figure(
            "P2.growth50",
            "overhead with +50 records / base overhead",
            result.growth_at_50,
            "x",
            f"<= {GROWTH_AT_50_MAX}x",
            None if result.growth_at_50 is None else result.growth_at_50 <= GROWTH_AT_50_MAX,
        )
    )
    figures.append(
        Figure(
            "P2.linear", "growth shape", "linear" if result.linear else "not linear", "", "linear", result.linear, fit
        )
    )
    return figures


def resource_label(by_urn: Mapping[str, Mapping[str, Any]], urn: str) -> str:
    resource = by_urn.get(urn) or {}
    return f"{str(resource.get('type', '?')).rsplit(':', 1)[-1]} {resource.get('name', urn)}"


def critical_path_details(document: Mapping[str, Any]) -> dict[str, Any]:
    """The chain, everything on a tied chain, and which of those are SES or DNS resources."""
    from plan.graph import critical_path, critical_resources

    by_urn = {r["urn"]: r for r in document.get("resources", [])}
    path = critical_path(document)
    tied = critical_resources(document)
    forbidden = sorted(
        urn for urn in tied if str(by_urn[urn]["type"]).startswith(SES_PREFIXES) or by_urn[urn]["type"] == DNS_TYPE
    )
    return {
        "chain": [{"urn": u, "type": by_urn[u]["type"], "name": by_urn[u]["name"]} for u in path],
        "before_release": max(len(path) - 1, 0),
        "on_any_longest_chain": sorted(tied),
        "ses_or_dns_on_it": forbidden,
        "shown": " -> ".join(resource_label(by_urn, u) for u in path) or "(no wire-server release)",
    }


def critical_path_figures(details: Mapping[str, Any]) -> list[Figure]:
    found = bool(details["chain"])
    depth = details["before_release"]
    forbidden = details["ses_or_dns_on_it"]
    return [
        Figure(
            "P3.chain",
            "resources created one after another before wire-server",
            depth if found else None,
            "",
            f"<= {CHAIN_MAX}",
            depth <= CHAIN_MAX if found else False,
            details["shown"],
        ),
        Figure(
            "P3.ses_dns",
            "SES or DNS resources on a longest chain",
            len(forbidden),
            "",
            "0",
            not forbidden,
            ", ".join(forbidden),
        ),
    ]


def cost_figures(cost: IdleCost) -> list[Figure]:
    unrequested = cost.monthly(asked_for_by_config=False)
    notes = [f"{item.description} ({item.source})" for item in cost.unrequested]
    if cost.unpriced:
        notes.append(f"not in the price table, check: {', '.join(cost.unpriced)}")
    asked = [f"{item.description} ({item.source})" for item in cost.idle if item.asked_for_by_config]
    return [
        Figure(
            "P4.idle",
            "idle cost not asked for by config",
            unrequested,
            "USD/month",
            "0 (storage and requests only)",
            not cost.unrequested and not cost.unpriced,
            "; ".join(notes),
        ),
        Figure(
            "P4.asked",
            "idle cost asked for by config",
            cost.monthly(asked_for_by_config=True),
            "USD/month",
            "",
            None,
            "; ".join(asked),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of the offline plan (P1 overhead, P2 scaling), the deploy critical path (P3), "
        "the idle cost (P4) and the test suite (P5). Prints a table, writes <out>/results.json and keeps the "
        "benchmarked plan (with graph.mmd) in <out>/plan/<stack>.",
    )
    parser.add_argument("--stack", default="prod", help="stack to benchmark (default prod, every feature on)")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing, the best counts (default 5)")
    parser.add_argument("--sizes", default="10,50,200", help="extra DNS records for P2 (default 10,50,200)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build" / "bench", help="output directory")
    parser.add_argument("--skip-tests", action="store_true", help="skip P5 (the whole test suite, slow)")
    parser.add_argument("--skip-scaling", action="store_true", help="skip P2")
    parser.add_argument("--skip-assets", action="store_true", help="skip A1 (the asset copy against rclone)")
    parser.add_argument("--asset-runs", type=int, default=3, help="A1 runs per tool and part, best counts (default 3)")
    parser.add_argument("--only-assets", action="store_true", help="run only A1")
    parser.add_argument(
        "--p1-floor",
        type=Path,
        help="p1_floor.py for the P1 registration floor (default $P1_FLOOR, else ../shared/tools/p1_floor.py)",
    )
    parser.add_argument("--azs", type=int, default=DEFAULT_AZS, help="AZs of an internet-facing load balancer")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})

    if args.only_assets:
        figures, details = asset_copy_figures(args.asset_runs)
        from bench import measure

        path = write_results(results(figures, measure.machine(), details), args.out)
        print(table(figures))
        print(f"\nwrote {path}")
        return 0

    from bench import measure

    python = sys.executable
    plan_dir = args.out / "plan" / args.stack
    log(f"bench: finding the SDK modules a plan of '{args.stack}' runs")
    modules = measure.sdk_modules(args.stack, python=python)
    script = measure.p1_floor_script(args.p1_floor)
    with tempfile.TemporaryDirectory(prefix="wire-bench-p1-") as tmp:
        commands = [measure.plan_argv(args.stack, plan_dir, python=python), measure.floor_argv(modules, python)]
        if isinstance(script, Path):
            # The registration floor reads its own copy, so it never sees a plan.json being rewritten.
            measure.run(commands[0])
            plan_json = Path(tmp) / "plan.json"
            left_out = measure.floor_plan(plan_dir / "plan.json", plan_json)
            commands.append(measure.p1_floor_argv(script, plan_json, python))
            log(f"bench: P1 plan vs import floor ({len(modules)} modules) vs {script}, best of {args.runs}")
        else:
            log(f"bench: P1 plan vs import floor ({len(modules)} modules), best of {args.runs}; {script}")
        plan_time, floor_time, *registration = measure.alternate(commands, args.runs)
    figures = evaluation_figures(plan_time.best, floor_time.best, len(modules))
    timings = {"plan": plan_time.runs, "floor": floor_time.runs, "planCpu": list(plan_time.cpu)}
    if registration:
        resources = custom_resources(load_plan(plan_dir)[0])
        figures += registration_floor_figures(
            plan_time.best,
            registration[0].best,
            resources,
            cpu=cpu_note(plan_time.best_cpu, registration[0].best_cpu),
            left_out=left_out,
        )
        timings |= {"registrationFloor": registration[0].runs, "registrationFloorCpu": list(registration[0].cpu)}
    else:
        figures += registration_floor_figures(plan_time.best, None, skipped=str(script))
    details: dict[str, Any] = {
        "stack": args.stack,
        "runs": args.runs,
        "timings": timings,
        "floorModules": modules,
        "registrationFloorScript": str(script),
        "plan": str(plan_dir / "plan.json"),
        "graph": str(plan_dir / "graph.mmd"),
    }

    if not args.skip_scaling and sizes:
        counts = [0, *sizes]
        log(f"bench: P2 plans with {', '.join(map(str, counts))} extra DNS records, interleaved, best of {args.runs}")
        with tempfile.TemporaryDirectory(prefix="wire-bench-") as tmp:
            # Every size, the base included, runs from a generated root and in the same rounds: the
            # differences between sizes are then not differences in background load.
            commands = [
                measure.plan_argv(
                    args.stack, Path(tmp) / f"plan-{n}", measure.scaled_root(Path(tmp), args.stack, n), python
                )
                for n in counts
            ]
            timings = measure.alternate(commands, args.runs)
        points = [(n, timing.best) for n, timing in zip(counts, timings, strict=True)]
        result = scaling(points, floor_time.best)
        figures += scaling_figures(result)
        details["scaling"] = {
            "points": [{"extraRecords": n, "seconds": t} for n, t in result.points],
            "msPerItem": result.ms_per_item,
            "interceptSeconds": result.fit.intercept,
            "r2": result.fit.r2,
            "maxResidualSeconds": result.fit.max_residual,
            "growthAt50": result.growth_at_50,
        }

    document, values = load_plan(plan_dir)
    chain = critical_path_details(document)
    figures += critical_path_figures(chain)
    details["criticalPath"] = chain
    deploy, details["deployModel"] = deploy_figures(document)
    figures += deploy

    priced = prices_for(stack_region(document))
    prices = priced.table
    cost = idle_cost(document, values, prices, args.azs)
    figures += cost_figures(cost)
    details["idleCost"] = {
        "prices": {
            "file": "bench/prices.md",
            "dated": prices.dated,
            "region": prices.region,
            "stackRegion": priced.region,
            "borrowed": priced.borrowed,
        },
        "items": [item.as_json() for item in cost.idle],
        "usageOnly": cost.usage_only,
        "unpriced": cost.unpriced,
    }

    if not args.skip_tests:
        from bench.suite import MAKE_TEST, run_suite, suite_figures

        log(f"bench: P5 test suite, one run of `{' '.join(MAKE_TEST)}`")
        suite = run_suite()
        figures += suite_figures(suite, measure.machine().get("nproc"))
        details["testSuite"] = asdict(suite)

    if not args.skip_assets:
        asset_figures, details["assetCopy"] = asset_copy_figures(args.asset_runs)
        figures += asset_figures

    document_out = results(figures, measure.machine(), details)
    path = write_results(document_out, args.out)
    print(table(figures))
    print(f"\nP3 critical path: {chain['shown']}")
    if chain["ses_or_dns_on_it"]:
        print(
            "   SES/DNS on a longest chain: "
            + ", ".join(resource_label(document_by_urn(document), u) for u in chain["ses_or_dns_on_it"])
        )
    print(f"P4 idle cost (USD/month, {priced.label()}):")
    for item in cost.idle:
        asked = "asked for by config" if item.asked_for_by_config else "NOT asked for by config"
        amount = "size dependent" if item.monthly_usd is None else f"{item.monthly_usd:.2f}"
        print(f"   {amount:>8}  {item.description} [{asked}] {item.source}")
    print("   usage only (no idle fee): " + ", ".join(f"{key} x{n}" for key, n in cost.usage_only.items()))
    machine = document_out["machine"]
    print(f"\nmachine: {machine['nproc']} cpu, {machine['cpu']}, Python {machine['python']}; wrote {path}")
    return 1 if args.strict and not document_out["passed"] else 0


def asset_copy_figures(runs: int) -> tuple[list[Figure], dict[str, Any]]:
    """A1: `python -m migrate assets` and `rclone copy --checksum -M` on the same workload (bench/asset_copy.py)."""
    from bench import asset_copy

    rclone = asset_copy.find_rclone()
    missing = "" if rclone else "rclone not on PATH (Debian: apt-get install rclone): the copy measured alone"
    log(f"bench: A1 asset copy vs {'rclone' if rclone else 'nothing: ' + missing}, best of {runs}")
    measured = asset_copy.measure(runs, rclone, log)
    details = {
        "rclone": rclone or missing,
        "runs": {f"{m.part.name}.{m.tool}": m.runs for m in measured},
        "cpu": {f"{m.part.name}.{m.tool}": m.cpu for m in measured},
        "workload": {name: [vars(batch) for batch in batches] for name, batches in asset_copy.WORKLOAD.items()},
    }
    return asset_copy.figures(measured, missing), details


def custom_resources(document: Mapping[str, Any]) -> int:
    """What p1_floor.py registers: the custom resources except providers."""
    return sum(
        1
        for r in document.get("resources", [])
        if r.get("custom") and not str(r.get("type", "")).startswith("pulumi:providers:")
    )


def document_by_urn(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {r["urn"]: r for r in document.get("resources", [])}


if __name__ == "__main__":
    sys.exit(main())
