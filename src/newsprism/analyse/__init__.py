"""Per-article analysis: sentences, entities, quotes, quantities, dates, embeddings."""
