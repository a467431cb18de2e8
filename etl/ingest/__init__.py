"""Ingest: outside pages → seeds/articles/<id>.md (`critmin add`), the first stage of the flow.

    fetch     bounded HTTP client (timeouts, size limit, content types, bounded redirects)
    html      trafilatura main text and metadata, htmldate page dates
    dump      the page-debris line classifier (patterns in seeds/reference/page_debris.yaml)
    feeds     RSS/Atom items (feedparser)
    metadata  dates with precision, publisher, language, slug ids
    dedupe    same URL, same body hash, near-copies (datasketch MinHash + exact Jaccard)
    write     front matter rendering and atomic, non-overwriting writes
    add       one source → outcomes (orchestration)
"""
