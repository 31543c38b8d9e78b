"""The certification lab (issue 18; docs/lab.md): sessions, each with its own sandbox store made from a suite's
initial state and its own platform clock, to which every call of the institution under test is routed; and the
operator API that opens, resets, sets the clock of and closes them (`yibao cert`)."""
