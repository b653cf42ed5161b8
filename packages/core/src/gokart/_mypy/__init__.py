"""The mypy plugin behind gokart.mypy: the synthesized __init__ of TaskOnKart classes and parameter types."""
