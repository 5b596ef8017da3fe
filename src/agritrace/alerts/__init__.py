"""Warnings (预警) and follow-ups: a facility every domain calls down to."""
