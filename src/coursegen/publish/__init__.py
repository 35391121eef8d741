"""What a public site adds to the pages: search-engine and sharing metadata, social cards, the search index."""
