"""numpy peer for bench/linear.ts: the weighted exp-loss linear GD step, timed in numpy (any n and d; the
bench asks for n = 1e3, 1e4, 1e5 with d = 100 and n = 1e4 with d = 1000).

One step, as in the issue:  u = y*(X@theta); e = w*exp(-u); grad = -(X.T@(e*y))/n; theta -= lr*grad
(plus loss = e.sum()/n, which the TypeScript pass also returns).

Usage
  python3 bench/python/linear_peer.py N D [N D ...] [--min-time SECONDS]
      times each size for at least SECONDS (default 1) and prints one JSON object:
      {"numpy", "blas", "results": [{"n", "d", "msPerStep", "minMsPerStep", "steps", "checksum"}]}
  python3 bench/python/linear_peer.py --serve
      reads lines "N D MILLISECONDS" on stdin and answers each with one JSON line
      {"n", "d", "samples": [ms per step, ...], "checksum"}; used by bench/linear.ts to interleave the
      numpy batches with its own, so both see the same machine load.

The data are generated here from a fixed seed with the same distributions as bench/linear.ts (X uniform
in [-1, 1), labels +-1, weights in [0.5, 1.5), theta small so exp(-u) stays finite). Only the timing is
compared with the TypeScript side; the checksum only keeps the work from being skipped.
"""

import json
import sys
import time

import numpy as np


def step(X, y, w, theta, lr):
    n = X.shape[0]
    u = y * (X @ theta)
    e = w * np.exp(-u)
    grad = -(X.T @ (e * y)) / n
    loss = e.sum() / n
    theta -= lr * grad
    return loss, grad


_cache = {}


def problem(n, d):
    key = (n, d)
    if key not in _cache:
        _cache.clear()  # keep one size in memory at a time
        rng = np.random.default_rng(12345)
        X = rng.uniform(-1.0, 1.0, size=(n, d))
        y = np.where(rng.uniform(size=n) < 0.5, -1.0, 1.0)
        w = rng.uniform(0.5, 1.5, size=n)
        theta = rng.uniform(-0.05, 0.05, size=d)
        for _ in range(3):  # warm-up: BLAS threads, page faults
            step(X, y, w, theta, 1e-3)
        _cache[key] = (X, y, w, theta)
    return _cache[key]


def samples(n, d, ms):
    """Per-step times (ms) of consecutive steps for about `ms` milliseconds (at least 3 steps)."""
    X, y, w, theta = problem(n, d)
    out = []
    checksum = 0.0
    end = time.perf_counter() + ms / 1e3
    while len(out) < 3 or time.perf_counter() < end:
        t0 = time.perf_counter()
        loss, grad = step(X, y, w, theta, 1e-3)
        out.append((time.perf_counter() - t0) * 1e3)
        checksum += float(grad.sum()) + float(loss)
    return out, checksum


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.25
        return cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown")
    except Exception:
        return "unknown"


def serve():
    print(json.dumps({"numpy": np.__version__, "blas": blas_name()}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        n, d, ms = int(parts[0]), int(parts[1]), float(parts[2])
        out, checksum = samples(n, d, ms)
        print(json.dumps({"n": n, "d": d, "samples": out, "checksum": checksum}), flush=True)


def main(argv):
    if "--serve" in argv:
        serve()
        return
    min_time = 1.0
    args = list(argv)
    if "--min-time" in args:
        k = args.index("--min-time")
        min_time = float(args[k + 1])
        del args[k : k + 2]
    results = []
    for i in range(0, len(args) - 1, 2):
        n, d = int(args[i]), int(args[i + 1])
        out, checksum = samples(n, d, min_time * 1e3)
        out.sort()
        results.append(
            {
                "n": n,
                "d": d,
                "msPerStep": out[len(out) // 2],
                "minMsPerStep": out[0],
                "steps": len(out),
                "checksum": checksum,
            }
        )
    print(json.dumps({"numpy": np.__version__, "blas": blas_name(), "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
