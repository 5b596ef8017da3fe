"""Organisations (agencies), users, roles and login activity."""
