"""Revoked access tokens and account changes that every verifier applies within seconds."""
