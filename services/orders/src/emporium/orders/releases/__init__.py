"""Stock releases owed to the catalog (a transactional outbox)."""
