"""Sources: seed files (articles, curated facts, reference lexicons) read into plain records."""
