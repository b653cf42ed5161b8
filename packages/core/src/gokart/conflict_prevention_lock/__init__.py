"""Redis-based locks that keep concurrent workers from writing the same cache file."""
