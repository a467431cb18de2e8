"""Transform: seed records → rows of the core tables, resolved against the reference lexicon."""
