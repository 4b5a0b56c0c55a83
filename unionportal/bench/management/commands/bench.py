"""`python manage.py bench build|measure`: the performance.md data set and measurements.

Run through `make bench` (the full set, in its own PostgreSQL database, tens of minutes) or
`make bench-smoke` (10,000 members, a minute or two; CI runs it to keep the command working).
Not a test: it prints figures beside their targets and exits non-zero when one is missed.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unionportal.bench import dataset, measure


class Command(BaseCommand):
    help = "Build the benchmark data set or run the measurements (see performance.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["build", "measure", "replica-run"])
        parser.add_argument("--size", choices=["full", "mid", "smoke"], default="smoke")
        parser.add_argument("--runs", type=int, default=0, help="timed runs per figure")
        parser.add_argument("--out", help="write the figures as JSON here")
        parser.add_argument("--small", help="JSON of the smoke-size run, for size ratios")
        parser.add_argument("--only", help="comma-separated parts: " + ",".join(measure.PARTS))

    def handle(
        self,
        *args,
        action: str,
        size: str,
        runs: int,
        out: str | None,
        small: str | None,
        only: str | None,
        **options,
    ) -> None:
        chosen = {"full": dataset.FULL, "mid": dataset.MID}.get(size, dataset.SMOKE)
        if action == "build":
            dataset.build(chosen, log=self.stdout.write)
            return
        if action == "replica-run":  # the child of the replica measurement (bench/scale.py)
            from unionportal.bench.scale import replica_run

            self.stdout.write(json.dumps(replica_run()))
            return
        have = dataset.existing_size()
        if have < chosen.members:
            raise CommandError(
                f"the data set holds {have} members; {size} needs "
                f"{chosen.members}: run `bench build --size {size}` first"
            )
        runs = runs or (9 if size == "full" else 5)
        anchors = json.loads(Path(small).read_text()) if small else None
        results = measure.run_all(
            size=size,
            runs=runs,
            small=anchors,
            log=self.stdout.write,
            only=set(only.split(",")) if only else None,
        )
        for result in results:
            self.stdout.write(result.line())
        if out:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_text(json.dumps({r.name: r.as_dict() for r in results}, indent=1))
        missed = [r.name for r in results if r.ok is False]
        if missed and size != "full":
            # The targets are for the full data set; at 10k rows fixed costs dominate.
            self.stdout.write(f"({size} size: indicative only) missed: {', '.join(missed)}")
        elif missed:
            raise CommandError(f"targets missed: {', '.join(missed)}")
