"""Validate: every check of the input rows, returning Problems (nothing is written here)."""
