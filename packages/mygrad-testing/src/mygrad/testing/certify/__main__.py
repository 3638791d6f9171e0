"""``python -m mygrad.testing.certify --table``: certify the registry and print a table.

Every applicable property of every registered op runs (failures are listed under the
table and make the exit status 1); ``--plan`` shows each property's example budget instead.
"""

from __future__ import annotations

import argparse
import sys

from hypothesis import settings

from .. import profiles
from .harness import registered_specs
from .report import format_table, plan, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mygrad.testing.certify", description=__doc__)
    parser.add_argument("--table", action="store_true", help="print the certification table")
    parser.add_argument("--plan", action="store_true", help="show the plan, run nothing")
    parser.add_argument(
        "--package",
        default="mygrad,mygrad.nnet",
        help="whose ops, comma-separated (default: mygrad,mygrad.nnet)",
    )
    parser.add_argument("--ops", default="", help="comma-separated op names (default: all)")
    parser.add_argument("--properties", default="", help="comma-separated property names")
    parser.add_argument("--max-examples", type=int, default=None, help="examples per property")
    args = parser.parse_args(argv)
    if not args.table:
        parser.error("nothing to do: pass --table")
    specs = [spec for package in args.package.split(",") for spec in registered_specs(package)]
    if args.ops:
        wanted = set(args.ops.split(","))
        unknown = wanted - {s.name for s in specs}
        if unknown:
            parser.error(f"not registered by {args.package!r}: {sorted(unknown)}")
        specs = [s for s in specs if s.name in wanted]
    props = args.properties.split(",") if args.properties else None
    print(f"profile: {settings.get_current_profile_name()}")
    if args.plan:
        rows = plan(specs, args.max_examples)
    else:
        rows = run(specs, props, args.max_examples)
    print(format_table(rows))
    return 1 if any(r.failed for r in rows) else 0


if __name__ == "__main__":
    profiles.load()
    sys.exit(main())
