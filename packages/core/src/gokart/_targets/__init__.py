"""Pieces of gokart.target kept out of the public module: load errors that name the file, frame chunks."""
