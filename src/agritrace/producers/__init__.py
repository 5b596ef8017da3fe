"""Producers (生产经营主体), production bases, trace points and their equipment."""
