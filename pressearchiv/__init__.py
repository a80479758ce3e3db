"""pressearchiv: full-text search for German political news (the CLI lives here)."""
