"""Task information: a tree of ``TaskInfo`` built from a task graph, rendered as text or as a table."""
