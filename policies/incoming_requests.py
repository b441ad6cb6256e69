"""Each rule set's settings for the county government's incoming flow (收文), as data:
policies/incoming_requests/<rule set>.csv, one setting a row with its article.

The incoming register's number prefix (收 in 收〔2026〕12号) and the time limit on the handling, with the matters it
does not bind. A new county gets a copy (services.incoming_requests.install_rules); its administrator edits the
copy, checked by the same rules as the shipped rows (domain.incoming_requests.rules_from).
"""

from __future__ import annotations

import csv
from functools import cache

from domain.incoming_requests import IncomingRules, rules_from
from domain.roster import RuleSet
from policies import POLICY_DIR


@cache
def shipped_rules(rule_set: RuleSet) -> IncomingRules:
    rows = []
    with (POLICY_DIR / "incoming_requests" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        for line in csv.reader(handle, skipinitialspace=True):
            if not line or line[0].lstrip().startswith("#"):
                continue
            setting, value, article = (v.strip() for v in line)
            rows.append((setting, value, article))
    return rules_from(rows)
