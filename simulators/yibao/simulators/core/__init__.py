"""The settlement core: the application service of the simulated regions. It reads and writes the
store and calls the pure domain for every rule; wire types in, wire types out."""
