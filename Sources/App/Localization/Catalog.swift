/// The user-visible strings, one dictionary per language (see scripts/catalog.py).
enum Catalog {}
