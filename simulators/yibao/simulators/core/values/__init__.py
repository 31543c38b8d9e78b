"""The settlement core's typed values, one module per proto (scripts/gen_core_values.py)."""
