"""Edges: storage (and, later, national JSON/HTTP)."""
