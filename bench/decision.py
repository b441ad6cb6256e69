"""Authorisation decision latency with many counties' signing tables loaded.

    .venv/bin/python -m bench.decision --counties 3000 --customised 300

Every county gets its rule set's table; ``--customised`` of them also get a row of their own (as an
administrator might add), so they cannot share a loaded table. The request stream mixes counties,
document classes, actions, roles and cover routes at random. Reported: the latency of
``SigningTable.decide`` (what gates each mutation and builds each chain) over the stream, and of an
uncached Casbin decision, and the memory the loaded tables take.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import resource
import statistics
import time
import tracemalloc

from domain.documents import (
    CHAIN_ORDER,
    Action,
    ChainRole,
    Direction,
    DocumentFacts,
    Flag,
    Genre,
    Issuer,
    Meeting,
    Route,
    Span,
)
from domain.roster import RuleSet
from policies.signing import SigningTable, _Request, read_table_file
from services.signing_rules import SigningTables

ACTIONS = [*CHAIN_ORDER, Action.URGENT_SIGN, Action.COUNTERSIGN]
ROUTES = [Route.DIRECT] * 17 + [Route.AB_PARTNER, Route.PRESIDING, Route.DEPUTY]


def document_classes(rng: random.Random, how_many: int) -> list[DocumentFacts]:
    flags = [frozenset(), frozenset({Flag.URGENT}), frozenset({Flag.NORMATIVE}), frozenset({Flag.PERSONNEL}),
             frozenset({Flag.MAJOR}), frozenset({Flag.MAJOR, Flag.URGENT}), frozenset({Flag.MEETING_DECIDED})]
    return [DocumentFacts(rng.choice(list(Issuer)), rng.choice(list(Genre)), rng.choice(list(Direction)),
                          rng.choice([Meeting.NONE] * 4 + list(Meeting)), rng.choice(flags), rng.choice(list(Span)))
            for _ in range(how_many)]


def load_tables(counties: int, customised: int) -> tuple[dict[int, SigningTable], SigningTables]:
    registry = SigningTables()
    shipped = {rule_set: read_table_file(rule_set) for rule_set in RuleSet}
    rule_sets = itertools.cycle(RuleSet)
    tables = {}
    for county_id in range(counties):
        rows = list(shipped[next(rule_sets)])
        if county_id < customised:
            rows.append(["5", "county_government", "letter", "non_subordinate", "*", "*", "*", "*", "sign",
                         "office_director", "allow", f"C{county_id}-letters", "local rule"])
        tables[county_id] = registry.share(SigningTable(rows))
    return tables, registry


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counties", type=int, default=3000)
    parser.add_argument("--customised", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--classes", type=int, default=80, help="distinct document classes in the stream")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tracemalloc.start()
    started = time.perf_counter()
    tables, registry = load_tables(args.counties, args.customised)
    load_seconds = time.perf_counter() - started
    table_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    classes = document_classes(rng, args.classes)
    roles = list(ChainRole)
    stream = [(tables[rng.randrange(args.counties)], rng.choice(classes), rng.choice(ROUTES), rng.choice(ACTIONS),
               rng.choice(roles)) for _ in range(args.requests)]

    gc.disable()
    samples = []
    clock = time.perf_counter_ns
    for table, facts, route, action, role in stream:
        before = clock()
        table.decide(facts, route, action, role)
        samples.append((clock() - before) / 1000)
    cold = []
    for table, facts, route, action, role in stream[:3000]:
        request = _Request(facts, route, action, role)
        before = clock()
        table._decide(request)  # noqa: SLF001 - the uncached Casbin path, measured on purpose
        cold.append((clock() - before) / 1000)
    gc.enable()

    samples.sort()
    cold.sort()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"counties loaded: {args.counties} ({args.customised} with a row of their own); "
          f"distinct tables in memory: {registry.distinct}; loaded in {load_seconds:.2f} s; "
          f"tables take {table_bytes / 2**20:.1f} MiB; process max RSS {rss_mib:.0f} MiB")
    print("| path | requests | median µs | p90 µs | p99 µs | max µs |")
    print("|---|---|---|---|---|---|")
    for name, values in (("decide() over the mixed stream", samples), ("uncached Casbin enforce", cold)):
        print(f"| {name} | {len(values)} | {statistics.median(values):.1f} | {percentile(values, 0.90):.1f} | "
              f"{percentile(values, 0.99):.1f} | {values[-1]:.0f} |")


if __name__ == "__main__":
    main()
