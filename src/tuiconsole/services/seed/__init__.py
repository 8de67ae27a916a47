"""Seed-data folders: read, check, load."""
