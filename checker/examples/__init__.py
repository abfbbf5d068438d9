"""Small example models used by the docs and the tests."""
