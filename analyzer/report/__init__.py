"""Renderings of an :class:`analyzer.model.Analysis`: JSON document, terminal summary."""
