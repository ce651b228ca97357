"""PyTorch peer for bench/mlp.ts's grid: one MLP GD step at any shape, timed in torch (float64, CPU).

A step, as a PyTorch user writes it (no biases; ReLU hidden layers; the loss of the row):

    out = net(X).squeeze(1)
    loss = torch.exp(-y * out).mean()                         # exponential
    loss = torch.nn.functional.softplus(-y * out).mean()      # logistic, log(1 + e^{-u})
    opt.zero_grad(); loss.backward(); opt.step()               # opt = SGD(net.parameters(), lr)

Usage: python3 bench/python/mlp_grid_torch.py --serve
  prints {"torch", "threads"}, then answers lines on stdin:
    "setup KEY WIDTHS N LOSS"  (WIDTHS comma-separated, LOSS exp|logistic) -> {"ok": true}; builds the
        workload KEY: X uniform in [-1, 1), labels sign(x0 * x1), weights N(0, 1/fan_in)
    "time KEY THREADS MILLISECONDS" -> {"samples": [ms per step, ...], "checksum"}, consecutive steps for
        about MILLISECONDS with torch.set_num_threads(THREADS) (0 = torch's default)
Timing only: the data are not those of the TypeScript side (same shapes and distributions).
"""

import json
import sys
import time

import torch

torch.set_default_dtype(torch.float64)
DEFAULT_THREADS = torch.get_num_threads()
WORK = {}


def setup(key, widths, n, loss):
    g = torch.Generator().manual_seed(2021)
    X = torch.rand(n, widths[0], generator=g) * 2 - 1
    y = torch.where(X[:, 0] * X[:, min(1, widths[0] - 1)] > 0, 1.0, -1.0)
    layers = []
    for l in range(len(widths) - 1):
        lin = torch.nn.Linear(widths[l], widths[l + 1], bias=False)
        with torch.no_grad():
            lin.weight.copy_(torch.randn(widths[l + 1], widths[l], generator=g) / widths[l] ** 0.5)
        layers.append(lin)
        if l < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    WORK[key] = (net, opt, X, y, loss)
    for _ in range(3):
        step(key)


def step(key):
    net, opt, X, y, loss = WORK[key]
    u = y * net(X).squeeze(1)
    value = torch.exp(-u).mean() if loss == "exp" else torch.nn.functional.softplus(-u).mean()
    opt.zero_grad()
    value.backward()
    opt.step()
    return value


def samples(key, threads, ms):
    torch.set_num_threads(threads if threads > 0 else DEFAULT_THREADS)
    out = []
    checksum = 0.0
    end = time.perf_counter() + ms / 1e3
    while len(out) < 3 or time.perf_counter() < end:
        t0 = time.perf_counter()
        value = step(key)
        out.append((time.perf_counter() - t0) * 1e3)
        checksum += float(value.detach())
    return out, checksum


def serve():
    print(json.dumps({"torch": torch.__version__, "threads": DEFAULT_THREADS}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "setup":
            setup(parts[1], [int(w) for w in parts[2].split(",")], int(parts[3]), parts[4])
            print(json.dumps({"ok": True}), flush=True)
        elif parts[0] == "time":
            out, checksum = samples(parts[1], int(parts[2]), float(parts[3]))
            print(json.dumps({"samples": out, "checksum": checksum}), flush=True)


if __name__ == "__main__":
    serve()
