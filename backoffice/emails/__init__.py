"""The bulk email of the back office."""
