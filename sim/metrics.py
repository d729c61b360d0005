"""Compatibility: the KPIs moved to `sim.kpis` (one registry); import from there."""

from .kpis import kpi_lines, kpis  # noqa: F401
