"""The family view's loader. The rules live in sharing.policy, the one access policy; this is the import path."""

from sharing.policy import FamilyAccess, family_child_for_user, family_children, is_family_user

__all__ = ["FamilyAccess", "family_child_for_user", "family_children", "is_family_user"]
