"""A simulated hospital HIS: a gRPC client of the gateway that behaves like a real hospital system
integrating with the national platform (envelopes, sign-in, the typical outpatient flow, receipts)."""
