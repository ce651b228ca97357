"""PyTorch peer for bench/mlp.ts: the paper's MLP step, timed in torch (float64, CPU).

The network of Xu, Ye & Ruan (ICLR 2021), Section 2: widths [2, 5, 1], ReLU, no biases, exponential
loss, full-batch gradient descent with lr 0.1, n = 400. One step, as a PyTorch user writes it:

    loss = torch.exp(-y * net(X).squeeze(1)).mean(); opt.zero_grad(); loss.backward(); opt.step()

with net = Sequential(Linear(2, 5, bias=False), ReLU(), Linear(5, 1, bias=False)) and
opt = torch.optim.SGD(net.parameters(), lr=0.1). theta = concat(W1.flatten(), W2.flatten()), each
weight (out x in) row-major: the layout of implicit-bias's mlp().

Usage
  python3 bench/python/mlp_torch.py --serve
      prints {"torch", "threads"} then reads lines on stdin:
        "time THREADS MILLISECONDS" -> {"samples": [ms per step, ...], "checksum"}: consecutive steps for
            about MILLISECONDS with torch.set_num_threads(THREADS) (0 = torch's default)
        "traj STEPS" followed by one line of JSON {"X": [...], "y": [...], "theta": [...]} ->
            {"theta": [...]}: theta after STEPS GD steps from the given init (float64), to check the
            trajectory of implicit-bias against torch's.
Data for timing: fixed-seed X uniform in [-1, 1)^2, labels sign(x0 * x1) (not linearly separable),
theta standard normal; timing only, the checksum keeps the work alive.
"""

import json
import sys
import time

import torch

torch.set_default_dtype(torch.float64)
DEFAULT_THREADS = torch.get_num_threads()


def make_net(theta, d=2, h=5):
    net = torch.nn.Sequential(
        torch.nn.Linear(d, h, bias=False), torch.nn.ReLU(), torch.nn.Linear(h, 1, bias=False)
    )
    t = torch.as_tensor(theta, dtype=torch.float64)
    with torch.no_grad():
        net[0].weight.copy_(t[: d * h].reshape(h, d))
        net[2].weight.copy_(t[d * h :].reshape(1, h))
    return net


def step(net, opt, X, y):
    loss = torch.exp(-y * net(X).squeeze(1)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss


_problem = {}


def problem():
    if not _problem:
        g = torch.Generator().manual_seed(12345)
        X = torch.rand(400, 2, generator=g, dtype=torch.float64) * 2 - 1
        y = torch.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0).to(torch.float64)
        theta = torch.randn(15, generator=g, dtype=torch.float64)
        net = make_net(theta)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(20):  # warm-up
            step(net, opt, X, y)
        _problem.update(X=X, y=y, net=net, opt=opt)
    return _problem


def samples(threads, ms):
    torch.set_num_threads(threads if threads > 0 else DEFAULT_THREADS)
    p = problem()
    out = []
    checksum = 0.0
    end = time.perf_counter() + ms / 1e3
    while len(out) < 3 or time.perf_counter() < end:
        t0 = time.perf_counter()
        loss = step(p["net"], p["opt"], p["X"], p["y"])
        out.append((time.perf_counter() - t0) * 1e3)
        checksum += float(loss.detach())
    return out, checksum


def trajectory(steps, spec):
    X = torch.tensor(spec["X"], dtype=torch.float64)
    y = torch.tensor(spec["y"], dtype=torch.float64)
    net = make_net(spec["theta"], X.shape[1], (len(spec["theta"])) // (X.shape[1] + 1))
    opt = torch.optim.SGD(net.parameters(), lr=spec.get("lr", 0.1))
    for _ in range(steps):
        step(net, opt, X, y)
    theta = torch.cat([net[0].weight.detach().flatten(), net[2].weight.detach().flatten()])
    return theta.tolist()


def serve():
    print(json.dumps({"torch": torch.__version__, "threads": DEFAULT_THREADS}), flush=True)
    lines = iter(sys.stdin)
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "time":
            out, checksum = samples(int(parts[1]), float(parts[2]))
            print(json.dumps({"samples": out, "checksum": checksum}), flush=True)
        elif parts[0] == "traj":
            spec = json.loads(next(lines))
            print(json.dumps({"theta": trajectory(int(parts[1]), spec)}), flush=True)


if __name__ == "__main__":
    serve()
