"""Duties: office work waiting for a person outside a document's approval chain.

Registering an incoming request, proposing its handling, giving an instruction, accepting or verifying a
supervision item, replying to a proposal: each system names its tasks; a duty is one task of one subject
for one official, open until it is settled. Whoever covers that official at the moment sees it too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class SubjectKind(str, enum.Enum):
    """What a duty is about: each value is one system's record."""

    INCOMING_REQUEST = "incoming_request"
    SUPERVISION_ITEM = "supervision_item"
    PROPOSAL = "proposal"
    DOCUMENT_PLAN = "document_plan"
    DISCLOSURE = "disclosure"


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int
