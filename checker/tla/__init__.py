"""The TLA+ front end: parse and resolve modules, read TLC's .cfg, compile to a Model.

Entry point for the rest of tlacheck: ``checker.tla.loader.load_spec_model``.
"""
