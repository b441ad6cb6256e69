"""The county government's yearly document plan (年度发文计划, 003 §62), as plain rules.

A document in the county government's or its office's name is either an entry of the county's approved plan
for its year, or one of the article's exceptions — a province or city document requires it, a standing-meeting
decision (a linked decision of the standing meeting that stands), the principal leader's explicit request —
or it is *unplanned* (Flag.UNPLANNED), and each rule set's signing table says what that costs (lulong: the
magistrate's one-by-one approval, 一事一报). Without an approved plan for the year nothing is unplanned: a
county that keeps no plan is not stopped.
"""

from __future__ import annotations

import enum

from domain.documents import Genre, Issuer

ARTICLE = "003 §62"
# In whose name a document is planned: the county government's and its office's (县政府或县政府办公室).
PLANNED_ISSUERS = frozenset({Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE})
QUARTERS = range(1, 5)


class PlanState(str, enum.Enum):
    DRAFT = "draft"  # the office drafts it and edits its entries
    SUBMITTED = "submitted"  # waiting for the approver
    APPROVED = "approved"  # in force for its year; its entries no longer change


class PlanException(str, enum.Enum):
    """Why a document outside the plan is issued anyway (003 §62), recorded with who and when."""

    PROVINCE_CITY_DOCUMENT = "province_city_document"  # a province or city document requires it
    PRINCIPAL_LEADER_REQUEST = "principal_leader_request"  # the principal leader (the magistrate) asked for it


def subject_to_plan(issuer: Issuer, genre: Genre, records_meeting: bool) -> bool:
    """Does the plan speak about this document at all? Minutes record a meeting; they are no 发文 to plan."""
    return issuer in PLANNED_ISSUERS and genre != Genre.MINUTES and not records_meeting
