"""The supervisor's dashboard (issue 14): live tiles from the seat socket's ``now`` frames, charts of a date range."""
