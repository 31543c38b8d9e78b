"""The gateway: envelope checks, sign-in, idempotency by msgid, journal, routing and error mapping."""
