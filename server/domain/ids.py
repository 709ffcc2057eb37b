"""The range of a database id, the one bound every path, query, form field, body and socket frame checks.

Keys are INTEGER columns (int4 on PostgreSQL, which refuses a larger parameter with
an error), so a larger number cannot name anything and is refused before any query.
"""
MIN_ID = 1
MAX_ID = 2**31 - 1  # inclusive
