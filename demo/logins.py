"""The demo staff's shared password and TOTP secret, and the named demo logins."""

from __future__ import annotations

import base64

from demo import world

DEMO_PASSWORD = "Samplan-demo-2025"  # noqa: S105 -- the documented password of the fictitious demo staff
# One shared TOTP secret for every demo user, so it can be added once to an authenticator app.
DEMO_TOTP_KEY_HEX = b"samplan-demo-totp-01".hex()
DEMO_TOTP_SECRET_BASE32 = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
DEMO_USERNAMES = frozenset(username for username, _, _ in world.DEMO_LOGINS)
