"""Use cases: the only way to change anything. One transaction each."""
