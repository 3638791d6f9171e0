"""Mathematical functions, grouped like NumPy's "Mathematical functions" reference."""
