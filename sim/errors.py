"""Errors a user can cause and fix: the CLI prints them without a traceback."""


class ConfigError(ValueError):
    """A scenario or override names an unknown key or holds a bad value."""
