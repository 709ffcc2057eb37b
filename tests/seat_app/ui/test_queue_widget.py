"""The operator's queue list names the district and road; the coordinates are in the tooltip."""
from __future__ import annotations

from seat_app.core.queue import from_push
from seat_app.ui.widgets.queue_widget import PLACE, QueueWidget


def test_place_column_shows_district_and_road_with_coordinates_in_the_tooltip(qtbot):
    widget = QueueWidget()
    qtbot.addWidget(widget)
    widget.set_items(from_push([
        {"case_id": 1, "number": "KC1", "waiting_s": 20, "district": "成都市中心城区", "road": "成都绕城高速（G4201）",
         "lat": 30.6712, "lon": 104.1919},
        {"case_id": 2, "number": "KC2", "waiting_s": 10, "lat": 31.2, "lon": 103.5},
        {"case_id": 3, "number": "KC3", "waiting_s": 5},
    ]))
    cells = {widget.table.item(row, PLACE).data(0x0100): widget.table.item(row, PLACE) for row in range(3)}
    assert cells[1].text() == "成都市中心城区 · 成都绕城高速（G4201）"
    assert "30.6712, 104.1919" in cells[1].toolTip() and "30.6712" not in cells[1].text()
    assert cells[2].text() == "31.2000, 103.5000"  # no name known: the coordinates are all there is
    assert cells[3].text() == "位置未知"
