"""usce: an offline planner for US Clinical Experience."""

__version__ = "0.1.0"
