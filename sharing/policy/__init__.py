"""The one access policy: who may see which child, and which of its records, on what basis.

Every read of child data goes through this package. Each rule sits on its own line with the
reason beside it. Lists filter in SQL; a child the user may not see is indistinguishable from
a child that does not exist (Http404). Every successful read is written to the audit log in
the same transaction.

Two questions, answered in order:
1. Relation: may the user see this child at all? (named person, enrolment at the user's unit,
   explicit assignment, a handover or a report of concern waiting at the user's unit.)
2. Records: which of the child's records? Identity and named person always; the user's own
   authority's records always; another authority's records only through an active consent (naming
   the user's authority, given to the participants of the child's plan while the authority takes
   part in its open plan, or given to a multi-agency team while one of its current members takes
   part for the authority), an active disclosure decision or the user's own emergency access, and
   never through a block.
Every time is checked here, at the moment of reading, so expiry and withdrawal take effect at
once whether or not the scheduled tasks have run.

The package is a few rule tables and the functions that read them:

- `rules`: the bases of access (with their words and legal ground) and the roles behind each action;
- `staff`: the user's current memberships, authorities and roles, and the actor audit rows name;
- `relations`: `RELATIONS`, which relation makes a child visible; `child_for_user`, `visible_children`;
- `lists`: a page of the children a user may see, over the precomputed relation (`visible_page`);
- `records`: `OPENINGS`, what opens another authority's records; `records_for_user`, and
  `readable_records` for many children at once;
- `statutory`: consents, reports of concern, disclosure and blocks, the look-up by personal number;
- `family`: guardians (custody) and the child itself in the family view;
- `emergency`: who may use emergency access (a health-care rule) and which records it opens;
- `loaders`: records reached by their own id (a plan, a consent, an entry …), checked through the child;
- `meetings`: team meetings, shared with current members; the identified cases a member may read;
- `referrals`: the provider's queue of referrals to its interventions (`Basis.REFERRAL`);
- `registration`: which municipality a registrar registers children in (`registration_child`);
- `actions`: what the user may do with what they see (edit a plan, read a log extract …).

Everything is imported from `sharing.policy`; nothing else in the code decides who sees a child.
"""

from sharing.policy import emergency  # noqa: F401  (policy.emergency: who may use nödåtkomst, and what it opens)
from sharing.policy.actions import *  # noqa: F403
from sharing.policy.family import *  # noqa: F403
from sharing.policy.lists import COUNT_CAP, Cursor, ListPage, visible_page  # noqa: F401
from sharing.policy.loaders import *  # noqa: F403
from sharing.policy.meetings import *  # noqa: F403
from sharing.policy.records import *  # noqa: F403
from sharing.policy.referrals import *  # noqa: F403
from sharing.policy.registration import *  # noqa: F403
from sharing.policy.relations import *  # noqa: F403
from sharing.policy.rules import *  # noqa: F403
from sharing.policy.staff import *  # noqa: F403
from sharing.policy.statutory import *  # noqa: F403
