"""Orders once placed: reading them and moving them through their life."""
