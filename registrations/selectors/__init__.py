"""Reads that pages share, one module per sub-domain."""
