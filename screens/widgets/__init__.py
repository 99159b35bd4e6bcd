"""Widgets shared by the hall's screens."""
