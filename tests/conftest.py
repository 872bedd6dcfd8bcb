"""Test configuration: Hypothesis profiles and the float64 JAX oracle.

``HYPOTHESIS_PROFILE=thorough pytest tests`` draws many more examples than the
default ``ci`` profile (which keeps the suite fast on two cores).
"""
import os

from hypothesis import HealthCheck, Phase, settings

_quiet = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=10, deadline=None, suppress_health_check=_quiet,
                          print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
settings.register_profile("dev", max_examples=15, deadline=None, suppress_health_check=_quiet)
settings.register_profile("thorough", max_examples=200, deadline=None,
                          suppress_health_check=_quiet)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

try:  # JAX is an optional oracle; tests that use it skip without it
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
except ImportError:  # pragma: no cover
    pass
