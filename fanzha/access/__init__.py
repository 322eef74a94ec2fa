"""Accounts, grants and the audit trail."""
