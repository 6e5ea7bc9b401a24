"""The OAuth2 token and revocation endpoints."""
