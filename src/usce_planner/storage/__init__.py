"""Everything that touches a file: TOML documents, the cache, locations, locks."""
