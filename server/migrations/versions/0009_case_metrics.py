"""case_metrics: the dashboard's rollup, one row per case, kept up to date as audit events are appended

The raw read of the audit log (server/services/metrics.py) costs about 0.1 ms a case, too slow past a
few thousand cases for the 300 ms target (bench/dashboard_bench.py). ``case_metrics`` holds, per case,
the first/last times (epoch seconds) and counts of the actions the metrics use; ``audit.append`` updates
it in the event's own transaction. The existing cases are filled here from the audit events by the same
raw query the tests compare the rollup with.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_TIMES = ('first_answer', 'last_answer', 'evacuated', 'first_submit', 'first_escalate', 'first_determine',
          'abandoned', 'first_interrupt')
_COUNTS = ('interrupts', 'send_backs', 'review_requests', 'reviews', 'overturns', 'video_frames')


def upgrade() -> None:
    op.create_table(
        'case_metrics',
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), primary_key=True),
        sa.Column('reported_at', sa.Float(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=True) for name in _TIMES),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default='0') for name in _COUNTS),
    )
    op.create_index('ix_case_metrics_reported_at', 'case_metrics', ['reported_at'])
    from server.services.metrics_rollup import rebuild  # the one definition of the raw read

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_case_metrics_reported_at', table_name='case_metrics')
    op.drop_table('case_metrics')
