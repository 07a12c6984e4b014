"""Funder requirement profiles, the requirement matrix and application drafts per funder."""
