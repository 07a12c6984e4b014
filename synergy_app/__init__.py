"""Synergy workspace: dialogue and co-funding coordination for Swedish innovation policy."""
