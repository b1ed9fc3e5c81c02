"""Protocol parsers: pure functions from bytes to typed facts.

Each parser is bounds-checked and never raises on hostile input: problems come back as
named anomalies (``ParseAnomaly``) next to whatever could be read.
"""
