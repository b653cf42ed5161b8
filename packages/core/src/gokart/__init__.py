"""gokart."""
