"""Peer timings for bench/svm.ts: scikit-learn SVC (libsvm) and, if importable, cvxopt on the same data.

Usage: python3 svm_peer.py DATA.json  (a list of {n, d, X (flat, row-major), y}); prints a JSON list with,
per data set, the median fit time in ms and gamma* = 1/||w|| of
  - sklearn.svm.SVC(kernel='linear', C=1e10)  (a soft-margin SVM with a huge C ~ hard margin; libsvm SMO,
    stopping tolerance 1e-3, so its gamma* is approximate), and
  - cvxopt.solvers.qp on the exact hard-margin primal  min 1/2 ||w||^2  s.t.  y_i (w.x_i + b) >= 1
    (interior point, tolerances tightened to 1e-12).
"""

import json
import sys
import time

import numpy as np
from sklearn.svm import SVC

try:
    import cvxopt
    import cvxopt.solvers

    HAVE_CVXOPT = True
except ImportError:  # pragma: no cover
    HAVE_CVXOPT = False


def median_ms(fn, runs):
    times = []
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times)), out


def sklearn_fit(X, y):
    clf = SVC(kernel="linear", C=1e10)
    clf.fit(X, y)
    return clf


def cvxopt_fit(X, y):
    n, d = X.shape
    P = np.zeros((d + 1, d + 1))
    P[:d, :d] = np.eye(d)
    q = np.zeros(d + 1)
    G = -(y[:, None] * np.hstack([X, np.ones((n, 1))]))
    h = -np.ones(n)
    cvxopt.solvers.options.update({"show_progress": False, "abstol": 1e-12, "reltol": 1e-12, "feastol": 1e-12})
    sol = cvxopt.solvers.qp(cvxopt.matrix(P), cvxopt.matrix(q), cvxopt.matrix(G), cvxopt.matrix(h))
    return np.array(sol["x"]).ravel()


def main():
    sets = json.load(open(sys.argv[1]))
    out = []
    for s in sets:
        n, d = s["n"], s["d"]
        X = np.array(s["X"], dtype=float).reshape(n, d)
        y = np.array(s["y"], dtype=float)
        runs = 5 if n <= 1000 else 3
        sklearn_fit(X, y)  # warm-up
        ms, clf = median_ms(lambda: sklearn_fit(X, y), runs)
        row = {"n": n, "sklearn_ms": ms, "sklearn_gamma": float(1 / np.linalg.norm(clf.coef_.ravel())),
               "cvxopt_ms": None, "cvxopt_gamma": None}
        if HAVE_CVXOPT:
            ms, wb = median_ms(lambda: cvxopt_fit(X, y), runs)
            row["cvxopt_ms"] = ms
            row["cvxopt_gamma"] = float(1 / np.linalg.norm(wb[:d]))
        out.append(row)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
