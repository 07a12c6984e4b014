"""Notifications: a transactional outbox of e-mail messages, their rendering and their delivery."""
