"""What text a caller may send: any characters but control characters other than tab, line feed and
carriage return (PostgreSQL cannot store NUL; the others are never meant), and no lone surrogates
(no characters at all, and not encodable as UTF-8)."""

from __future__ import annotations

import re

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
