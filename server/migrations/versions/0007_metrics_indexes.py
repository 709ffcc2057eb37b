"""metrics indexes: the dashboard's per-case read of the audit log, and cases by report time

The supervisor dashboard (issue 14, server/services/metrics.py) selects the cases
reported in a date range (``ix_cases_created_at``) and reads, per case, the first
and last time of a few actions (``ix_audit_case_action_at`` on case_id, action,
created_at: the join and the aggregate are answered from the index).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:50:00
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_case_action_at', 'audit_events', ['case_id', 'action', 'created_at'])
    op.create_index('ix_cases_created_at', 'cases', ['created_at'])


def downgrade() -> None:
    op.drop_index('ix_cases_created_at', table_name='cases')
    op.drop_index('ix_audit_case_action_at', table_name='audit_events')
