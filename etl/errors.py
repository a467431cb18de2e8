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


def one_line(exc: BaseException, last: bool = False) -> str:
    """An exception as one line for a message: its first (or last) non-empty line, else its type."""
    text = str(exc).strip()
    return text.splitlines()[-1 if last else 0] if text else type(exc).__name__
