"""Reads of the audit log for the log extract (loggutdrag) of one child.

Who may read a child's extract and which rows it holds are rules of the access policy
(`policy.may_read_log_extract`, `policy.log_events_for`); this module names the basis of each row in words.
"""

from __future__ import annotations

from sharing import policy


def basis_label(basis: str):
    """Return the basis of access in words, as the policy's table of bases names it."""
    return policy.basis_label(basis)
