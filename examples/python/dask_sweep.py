"""The buffer-allocation study (examples/buffer_allocation.scenario.yaml) on a Dask cluster: the
sweep is cut into tasks of about 0.1 s of work, each carrying the scenario's and the scene's text,
so the workers need no shared disk. The cluster's report is the local sweep's, to the byte.

Here the cluster is a LocalCluster of two worker processes on this machine; on a real cluster
pass the scheduler's address instead (docs/python.md: dask-scheduler, dask-worker):

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/dask_sweep.py
    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/dask_sweep.py tcp://host:8786
"""
import sys

from dask.distributed import Client, LocalCluster

import linetwin

SCENARIO = "examples/buffer_allocation.scenario.yaml"


def show(results: linetwin.SweepResults) -> None:
    """Best first: each variant's throughput and its paired difference from the baseline."""
    print(f"{'variant':<14} {'parts/h':>8} {'vs baseline [95% interval]':>30}")
    variants = {v["name"]: v for v in results.to_dict()["variants"]}
    for name in results.ranking:
        variant = variants[name]
        if not variant["comparison"]:  # the baseline itself
            continue
        throughput = next(c for c in variant["comparison"] if c["kpi"] == "throughput_per_hour")
        d = throughput["difference"]
        interval = f"{d['mean']:+.2f} [{d['ci95_low']:+.2f}, {d['ci95_high']:+.2f}]"
        print(f"{variant['name']:<14} {throughput['variant']['mean']:>8.2f} {interval:>30}")


def main() -> int:
    # The main module is guarded: a spawned worker process imports it again.
    if len(sys.argv) > 1:
        client = Client(sys.argv[1])
    else:
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=":0"))
    with client:
        on_cluster = linetwin.sweep(SCENARIO, reps=20, client=client)
    here = linetwin.sweep(SCENARIO, reps=20)
    show(on_cluster)
    same = on_cluster.to_json() == here.to_json()
    print(f"cluster report equals the local sweep byte for byte: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
