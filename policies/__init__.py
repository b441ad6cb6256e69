"""Casbin models and policies: who may act on which county's records."""

from __future__ import annotations

import logging
from pathlib import Path

import casbin

POLICY_DIR = Path(__file__).parent
# Casbin logs every denial at WARNING; a denial is an answer, not an incident.
logging.getLogger("casbin").setLevel(logging.ERROR)


class AccessControl:
    """Gates roster reads and writes by account role and county. Small and loaded once."""

    def __init__(self) -> None:
        self._enforcer = casbin.Enforcer(
            str(POLICY_DIR / "access_model.conf"), str(POLICY_DIR / "access_policy.csv")
        )

    def allows(self, *, role: str, home_county_id: int | None, target_county_id: int | None,
               obj: str, act: str) -> bool:
        # An account without a county, or a request about no county, never matches an "own" rule.
        home = f"county:{home_county_id}" if home_county_id is not None else "no-home-county"
        target = f"county:{target_county_id}" if target_county_id is not None else "no-target-county"
        return self._enforcer.enforce(role, home, target, obj, act)
