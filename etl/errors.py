"""Errors the command line turns into one readable line and an exit status."""


class CritminError(Exception):
    """Base class: the message is what the user sees."""

    exit_code = 2


class ConfigError(CritminError):
    """Bad configuration or environment (exit 2): unreachable server, unwritable home, taken port."""

    exit_code = 2


class UsageError(CritminError):
    """Bad command-line usage (exit 2)."""

    exit_code = 2
