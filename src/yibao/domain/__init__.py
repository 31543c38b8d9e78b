"""Pure settlement domain: no I/O, no gRPC, no SQL. Every rule lives in a module named after it."""
