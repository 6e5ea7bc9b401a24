"""Signing keys, the JWKS and the authorization-server metadata."""
