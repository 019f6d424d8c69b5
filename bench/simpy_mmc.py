"""M/M/c in SimPy: the baseline for `npm run bench:sim` (bench/sim.ts runs the same model in ours).

Run with the Debian interpreter, which has python3-simpy3:
    /usr/bin/python3 bench/simpy_mmc.py --customers 200000 --seed 1
Prints one JSON line: customers, events (arrivals + service starts + departures, counted the
same way as ServiceLoop's simulator), seconds and cpu_seconds (simulation only), mean wait.
"""

import argparse
import json
import random
import sys
import time

try:
    import simpy
except ImportError:
    print(
        "simpy is not importable by %s: install the Debian package python3-simpy3 "
        "and run this with /usr/bin/python3" % sys.executable,
        file=sys.stderr,
    )
    sys.exit(1)


def run(customers, arrivals_per_hour, mean_service_s, servers, warmup_s, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    counters = simpy.Resource(env, capacity=servers)
    rate = arrivals_per_hour / 3600.0
    stats = {"events": 0, "wait_sum": 0.0, "served": 0}

    def customer(env):
        arrived = env.now
        with counters.request() as req:
            yield req
            stats["events"] += 1  # service start
            if arrived >= warmup_s:
                stats["wait_sum"] += env.now - arrived
                stats["served"] += 1
            yield env.timeout(rng.expovariate(1.0 / mean_service_s))
        stats["events"] += 1  # departure

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(rate))
            stats["events"] += 1  # arrival
            env.process(customer(env))

    env.process(source(env))
    started = time.perf_counter()
    cpu_started = time.process_time()
    env.run()
    cpu_seconds = time.process_time() - cpu_started
    seconds = time.perf_counter() - started
    return {
        "customers": customers,
        "events": stats["events"],
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "mean_wait_s": stats["wait_sum"] / max(1, stats["served"]),
        "simpy_version": simpy.__version__,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--customers", type=int, default=200000)
    p.add_argument("--arrivals-per-hour", type=float, default=200.0)
    p.add_argument("--mean-service-s", type=float, default=180.0)
    p.add_argument("--servers", type=int, default=14)
    p.add_argument("--warmup-s", type=float, default=7200.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    print(json.dumps(run(a.customers, a.arrivals_per_hour, a.mean_service_s, a.servers, a.warmup_s, a.seed)))


if __name__ == "__main__":
    main()
