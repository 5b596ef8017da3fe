"""Supervision: warnings now; grids, inspections, sampling, cases, complaints and tasks later."""
