"""The national JSON-over-HTTP entry point (docs/reference/interface.md §1): the same Gateway as gRPC, behind the
URL shapes, headers and JSON habits of real HIS integrations, plus the transaction inspector."""
