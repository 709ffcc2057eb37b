import json

from seat_app import settings as store
from seat_app.core.seat_settings import SeatSettings, merge


def test_it_defaults_are_read_first_and_the_user_file_overrides(tmp_path):
    it_file, user_file = tmp_path / "it.json", tmp_path / "user.json"
    it_file.write_text(json.dumps({"server_url": "https://it.example", "shortcuts": {"capture": "F8"}}))
    user_file.write_text(json.dumps({"audio_input": "USB 耳麦"}))
    s = store.load(it_file, user_file)
    assert (s.server_url, s.shortcut("capture"), s.audio_input) == ("https://it.example", "F8", "USB 耳麦")
    assert s.shortcut("photo") == "P"


def test_saving_keeps_only_the_users_changes(tmp_path):
    it_file, user_file = tmp_path / "it.json", tmp_path / "user.json"
    it_file.write_text(json.dumps({"server_url": "https://it.example"}))
    s = store.load(it_file, user_file).evolve(username="operator1", shortcuts={**SeatSettings().shortcuts, "mute": "F9"})
    store.save(s, it_file, user_file)
    assert json.loads(user_file.read_text()) == {"username": "operator1", "shortcuts": {"mute": "F9"}}
    it_file.write_text(json.dumps({"server_url": "https://moved.example"}))
    assert store.load(it_file, user_file).server_url == "https://moved.example"


def test_a_broken_file_is_skipped_not_fatal(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert store.load(bad, tmp_path / "missing.json") == SeatSettings()


def test_unknown_keys_and_languages_are_ignored():
    assert merge(SeatSettings(), {"nonsense": 1, "language": "fr", "display_fps": "25"}).display_fps == 25
