"""Orders placed by customers."""
