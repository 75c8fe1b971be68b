"""`make bench` (`python -m bench`): evaluation overhead, scaling, deploy critical path, idle cost, test time.

Measurements run the real offline plan as subprocesses and compare them with a floor measured in the
same run (ratios, best of N), because the build machines are small and noisy. Everything that turns
raw numbers or a plan.json into a verdict is a pure function, unit-tested without timing anything.
"""
