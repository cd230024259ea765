"""Exposure oracle for bench/cat (ADR 0007): the fewest questions an adaptive test could need on
average if every examinee's ability were known, with and without an exposure cap, as a linear
programme (HiGHS through SciPy). Not part of `npm run bench` (Python and SciPy are not in
Entente's stack); run it as cat-bank.ts says.

Population: θ ~ N(0, 1) on Q equal-mass quantile points. x[q, i] in [0, 1] is the probability that
an examinee at θ_q is given item i. Minimise the mean number of items, subject to:
  - precision: each examinee's Fisher information reaches 1/0.30² − 1 (posterior SD ≤ 0.30 with
    the N(0, 1) prior, to the normal approximation);
  - exposure (when capped): each item is given to at most `cap` of the population;
  - areas (when balanced): each examinee's items are shared equally among the 5 areas.
A relaxation (fractional items, expected information, θ known), so a lower bound; what it says
about the cap is its relative cost: capped / uncapped.
"""
import json
import sys

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.stats import norm

Q = 100
NEED = 1 / 0.30**2 - 1

bank = json.load(sys.stdin)
a = np.array([item["a"] for item in bank])
b = np.array([item["b"] for item in bank])
area = np.array([int(item["area"]) for item in bank])
n_items = len(bank)
theta = norm.ppf((np.arange(Q) + 0.5) / Q)
p = 1 / (1 + np.exp(-a[None, :] * (theta[:, None] - b[None, :])))
info = a[None, :] ** 2 * p * (1 - p)  # 2PL, logistic metric (no 1.7), as the engine


def solve(cap, balanced):
    n = Q * n_items
    rows = np.repeat(np.arange(Q), n_items)
    columns = np.arange(n)
    upper = [sp.csr_matrix((-info.ravel(), (rows, columns)), shape=(Q, n))]
    bounds = [np.full(Q, -NEED)]
    if cap is not None:
        item_rows = np.tile(np.arange(n_items), Q)
        upper.append(sp.csr_matrix((np.full(n, 1.0 / Q), (item_rows, columns)), shape=(n_items, n)))
        bounds.append(np.full(n_items, cap))
    equal = equal_b = None
    if balanced:
        blocks = [np.where(area == k, 1.0, 0.0) - 0.2 for k in range(1, 6)]
        coefficients = np.vstack(blocks)  # 5 x items
        equal = sp.block_diag([sp.csr_matrix(coefficients)] * Q, format="csr")
        equal_b = np.zeros(Q * 5)
    result = linprog(np.full(n, 1.0 / Q), A_ub=sp.vstack(upper), b_ub=np.concatenate(bounds), A_eq=equal, b_eq=equal_b, bounds=(0, 1), method="highs")
    if not result.success:
        raise SystemExit(result.message)
    return result.fun


print(f"{n_items} items, {Q} ability points, information needed {NEED:.2f}")
print("areas      cap    mean items   capped / uncapped")
for balanced in (False, True):
    free = solve(None, balanced)
    print(f"{'balanced' if balanced else 'free':<10} none   {free:10.2f}")
    for cap in (0.25, 0.24):
        capped = solve(cap, balanced)
        print(f"{'balanced' if balanced else 'free':<10} {cap:<6} {capped:10.2f}   {capped / free:.3f}")
