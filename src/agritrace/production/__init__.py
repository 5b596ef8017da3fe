"""Inputs, production records, batches, lineage, shipments and the trace report."""
