"""``kuaichu-seat --self-test``: tells IT in one command whether a seat works (checks.py, cli.py), and the
same checks in a window from the seat's menu (seat_app/ui/dialogs/self_test_dialog.py)."""
