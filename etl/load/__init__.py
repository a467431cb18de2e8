"""Load: COPY and upserts into the core tables, run records, and the stored marts."""
