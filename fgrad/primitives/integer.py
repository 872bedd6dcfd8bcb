"""Integer number theory: ``gcd`` and ``lcm``, NumPy's element-wise ufuncs with
broadcasting (Python ints weak, as NumPy 2). A primitive each rather than a composition:
Euclid's algorithm is a loop whose trip count depends on the values. Integer results
carry no gradient.
"""
from __future__ import annotations

from .binary import _nary
from .core import defnondiff

# gcd(x, y) >= 0, gcd(0, 0) = 0; lcm(x, y) = |x y| / gcd(x, y) >= 0, 0 if either is 0.
gcd_p = _nary("gcd")
gcd_p.def_impl(lambda xp, x, y: xp.gcd(x, y))
gcd_p.backend_fn = "gcd"
defnondiff(gcd_p)

lcm_p = _nary("lcm")
lcm_p.def_impl(lambda xp, x, y: xp.lcm(x, y))
lcm_p.backend_fn = "lcm"
defnondiff(lcm_p)
