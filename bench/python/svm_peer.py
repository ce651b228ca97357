"""Peer timings for bench/svm.ts: scikit-learn's SVC and cvxopt on the data sets the bench sends.

Runs as a small server so that the bench can interleave its own solves with the peers' in one run: one
JSON request per line on stdin, one JSON reply per line on stdout.

  {"cmd": "hello"}
      -> {"python", "numpy", "sklearn", "cvxopt" (null when missing), "blas"}
  {"cmd": "digits", "path": P}
      -> writes scikit-learn's digits 3 and 8 (raw pixel counts, float64, row-major) to P.x and their
         labels (+1 for 3, -1 for 8) to P.y; replies {"n", "d"}
  {"cmd": "load", "key": K, "x": PATH, "y": PATH, "n": n, "d": d}
      -> reads float64 little-endian X (n x d, row-major) and y; replies {"ok": true}
  {"cmd": "certify", "key": K, "support": [indices]}
      -> {"gamma", "minAlpha", "minMargin", "certified"}: an independent reference for gamma* (below)
  {"cmd": "run", "key": K, "solver": "sklearn" | "cvxopt", "reps": r, "limit": seconds or null}
      -> {"ms": [r fit times], "gamma", "support", "status", "limited": false}; with "limit", one fit
         runs in a forked child that is killed after `limit` seconds: then {"limited": true, "ms": []}

Solvers (fit time only, data already in memory as float64 numpy arrays):
  - sklearn.svm.SVC(kernel='linear', C=1e10).fit(X, y): libsvm's SMO on the dual with a huge C (a soft
    margin close to the hard one; stopping tolerance 1e-3, so its gamma is approximate);
    gamma = 1/||coef_||, support = n_support_.sum().
  - cvxopt.solvers.qp on the exact hard-margin primal  min 1/2 ||w||^2  s.t.  y_i (w.x_i + b) >= 1,
    variables (w, b) (interior point, abstol = reltol = feastol = 1e-12); gamma = 1/||w||,
    support = #{i : z_i > 1e-6 max z} for its dual z.

Reference ("certify"): given a candidate support set S (the bench passes the one hardMarginSVM found), the
equality-constrained KKT system on S, [K y_S; y_S^T 0][alpha; b] = [1; 0] with K_ij = y_i y_j x_i.x_j, is
built and solved in 40-digit arithmetic (mpmath; without mpmath, numpy.longdouble with float64
refinement, good to ~1e-12 on ill-conditioned sets); w = sum alpha_i y_i x_i, and all n margins
y_i (w.x_i + b) are evaluated in extended precision. If alpha >= 0 and every margin is >= 1 - 1e-14, the
point satisfies the KKT conditions, so by convexity gamma = 1/||w|| is the exact optimum (up to the
1e-14 slack); "certified" says so. The set S only has to be right, it is not trusted: a wrong S fails
the check.
"""

import json
import os
import platform
import select
import signal
import sys
import time

import numpy as np

try:
    import sklearn
    from sklearn.svm import SVC
except ImportError:  # pragma: no cover - the bench checks before it starts this server
    sklearn = None

try:
    import cvxopt
    import cvxopt.solvers
except ImportError:  # pragma: no cover
    cvxopt = None

try:
    import mpmath
except ImportError:  # pragma: no cover - the reference then uses numpy.longdouble
    mpmath = None

DATA = {}


def fit_sklearn(X, y):
    clf = SVC(kernel="linear", C=1e10)
    clf.fit(X, y)
    return float(1 / np.linalg.norm(clf.coef_.ravel())), int(clf.n_support_.sum()), "ok"


def fit_cvxopt(X, y):
    n, d = X.shape
    P = np.zeros((d + 1, d + 1))
    P[:d, :d] = np.eye(d)
    G = -(y[:, None] * np.hstack([X, np.ones((n, 1))]))
    cvxopt.solvers.options.update({"show_progress": False, "abstol": 1e-12, "reltol": 1e-12, "feastol": 1e-12})
    sol = cvxopt.solvers.qp(cvxopt.matrix(P), cvxopt.matrix(np.zeros(d + 1)), cvxopt.matrix(G),
                            cvxopt.matrix(-np.ones(n)))
    wb = np.array(sol["x"]).ravel()
    z = np.array(sol["z"]).ravel()
    return float(1 / np.linalg.norm(wb[:d])), int((z > 1e-6 * z.max()).sum()), sol["status"]


FITS = {"sklearn": fit_sklearn, "cvxopt": fit_cvxopt}


def timed(fit, X, y):
    t0 = time.perf_counter()
    out = fit(X, y)
    return (time.perf_counter() - t0) * 1e3, out


def limited_fit(fit, X, y, limit):
    """One timed fit in a forked child; None when it is still running after `limit` seconds."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            ms, (gamma, support, status) = timed(fit, X, y)
            os.write(w, json.dumps([ms, gamma, support, status]).encode())
        finally:
            os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], limit)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(r)
        return None
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def certify(X, y, S):
    """gamma* from the KKT system on the support set S in 40-digit arithmetic (mpmath; numpy.longdouble
    with float64 refinement when mpmath is missing), and whether it is certified: alpha >= 0 and every
    margin y_i (w.x_i + b) >= 1 - 1e-14, margins evaluated in extended precision."""
    k = len(S)
    if mpmath is not None:
        mp = mpmath.mp
        mp.dps = 40
        Xs = [[mpmath.mpf(float(v)) for v in X[i]] for i in S]
        ys = [mpmath.mpf(float(y[i])) for i in S]
        A = mpmath.matrix(k + 1, k + 1)
        rhs = mpmath.matrix(k + 1, 1)
        for a in range(k):
            for c in range(a, k):
                v = ys[a] * ys[c] * mpmath.fdot(Xs[a], Xs[c])
                A[a, c] = v
                A[c, a] = v
            A[a, k] = ys[a]
            A[k, a] = ys[a]
            rhs[a] = 1
        sol = mpmath.lu_solve(A, rhs)
        alpha = [sol[a] for a in range(k)]
        w_mp = [mpmath.fsum(alpha[a] * ys[a] * Xs[a][j] for a in range(k)) for j in range(X.shape[1])]
        gamma = 1 / mpmath.sqrt(mpmath.fsum(v * v for v in w_mp))
        L = np.longdouble
        w = np.array([L(str(v)) for v in w_mp], dtype=L)
        b = L(str(sol[k]))
        min_alpha = float(min(alpha) / max(alpha))
        gamma = float(gamma)
    else:
        L = np.longdouble
        Xs = X[S].astype(L)
        ys = y[S].astype(L)
        K = np.zeros((k + 1, k + 1), dtype=L)
        K[:k, :k] = (ys[:, None] * ys[None, :]) * (Xs @ Xs.T)
        K[:k, k] = ys
        K[k, :k] = ys
        rhs = np.zeros(k + 1, dtype=L)
        rhs[:k] = 1
        sol = np.zeros(k + 1, dtype=L)
        K64 = K.astype(np.float64)
        for _ in range(4):
            res = rhs - K @ sol
            sol = sol + np.linalg.lstsq(K64, res.astype(np.float64), rcond=None)[0].astype(L)
        alpha, b = sol[:k], sol[k]
        w = (alpha * ys) @ Xs
        gamma = float(1 / np.sqrt(np.sum(w * w)))
        min_alpha = float(alpha.min() / alpha.max())
    margins = y.astype(np.longdouble) * (X.astype(np.longdouble) @ w + b)
    min_margin = float(margins.min())
    return {"gamma": gamma, "minAlpha": min_alpha, "minMargin": min_margin,
            "certified": bool(min_alpha >= 0 and min_margin >= 1 - 1e-14)}


def handle(req):
    cmd = req["cmd"]
    if cmd == "hello":
        blas = None
        try:
            cfg = np.show_config(mode="dicts")  # numpy >= 1.25
            blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name")
        except TypeError:
            blas = "see numpy.show_config()"
        return {"python": platform.python_version(), "numpy": np.__version__,
                "sklearn": sklearn.__version__ if sklearn else None,
                "cvxopt": cvxopt.__version__ if cvxopt else None, "blas": blas}
    if cmd == "digits":
        from sklearn.datasets import load_digits

        digits = load_digits()
        mask = (digits.target == 3) | (digits.target == 8)
        X = np.ascontiguousarray(digits.data[mask], dtype="<f8")
        y = np.where(digits.target[mask] == 3, 1.0, -1.0).astype("<f8")
        X.tofile(req["path"] + ".x")
        y.tofile(req["path"] + ".y")
        return {"n": int(X.shape[0]), "d": int(X.shape[1])}
    if cmd == "load":
        n, d = req["n"], req["d"]
        X = np.fromfile(req["x"], dtype="<f8").reshape(n, d)
        y = np.fromfile(req["y"], dtype="<f8")
        DATA[req["key"]] = (X, y)
        return {"ok": True}
    if cmd == "certify":
        X, y = DATA[req["key"]]
        S = [int(i) for i in req["support"]]
        return certify(X, y, S)
    if cmd == "run":
        X, y = DATA[req["key"]]
        solver = req["solver"]
        if (solver == "sklearn" and sklearn is None) or (solver == "cvxopt" and cvxopt is None):
            return {"missing": True}
        fit = FITS[solver]
        if req.get("limit") is not None:
            out = limited_fit(fit, X, y, req["limit"])
            if out is None:
                return {"limited": True, "ms": []}
            ms, gamma, support, status = out
            return {"limited": False, "ms": [ms], "gamma": gamma, "support": support, "status": status}
        times = []
        gamma = support = status = None
        for _ in range(req["reps"]):
            ms, (gamma, support, status) = timed(fit, X, y)
            times.append(ms)
        return {"limited": False, "ms": times, "gamma": gamma, "support": support, "status": status}
    raise ValueError(f"unknown command {cmd!r}")


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line))
        except Exception as e:  # reported to the bench, which prints it and skips that peer
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
