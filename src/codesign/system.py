"""What the operating system says, put into words a person can read in one line.

Error messages quote the system's reason (``Permission denied``) and never a file's content;
records name who did something by their account on this machine. Each is written once here so
that every command says these things the same way.
"""

from __future__ import annotations

import getpass

UNKNOWN_USER = "unknown"
"""Who is recorded when the account cannot be named (a container without a passwd entry)."""


def current_user() -> str:
    """The login name of whoever runs this process, or ``unknown``."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return UNKNOWN_USER


def os_reason(error: OSError) -> str:
    """Why an operation failed, in the system's words (``Permission denied``)."""
    return error.strerror or type(error).__name__


def first_line(error: BaseException | str) -> str:
    """The first line of an error's message (or of a text), else the error's type name.

    Messages of foreign libraries can run to pages (SQL, tracebacks); a summary, a log line or a
    table cell shows their first line only.
    """
    text = str(error).strip()
    if text:
        return text.splitlines()[0]
    return type(error).__name__ if isinstance(error, BaseException) else ""
