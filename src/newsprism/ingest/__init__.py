"""Ingest: turn files, folders, globs and URLs into `RawArticle` values.

`sources.expand_inputs` and `sources.read_input` are the entry points; `sniff` decides the
format from content, and one small reader per format (text, HTML, feeds, JSONL, WARC) does
the rest. Readers never raise for bad input: they yield `Rejected` values with a reason.
"""
