"""Reporting: the views and their catalogue, the reader role, exports and the data dictionary."""
