"""mygrad's ops, grouped like NumPy's routine reference."""
