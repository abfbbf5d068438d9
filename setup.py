"""The one compiled part: checker/engine/_fp.c (fingerprints). Optional: without a C
compiler the install goes on and checker/engine/fingerprint.py computes the same numbers
in Python. Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("checker.engine._fp", ["checker/engine/_fp.c"], optional=True)])
