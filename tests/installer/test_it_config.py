"""IT configuration: the site-wide seat.json first, then the user's; a bad file or key never stops a seat."""
import json

from seat_app import paths
from seat_app import settings as store
from seat_app.core import it_config
from seat_app.core.seat_settings import SeatSettings

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def write(path, data):
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_site_file_is_found_through_the_environment_and_read_first(tmp_path, monkeypatch):
    site = write(tmp_path / "site.json", {"server_url": "https://kuaichu.city.example/", "language": "en",
                                          "audio_input": "USB 耳麦"})
    user = write(tmp_path / "user.json", {"audio_input": "Jabra"})
    monkeypatch.setenv("KUAICHU_SEAT_DEFAULTS", str(site))
    monkeypatch.setenv("KUAICHU_SEAT_CONFIG", str(user))
    assert paths.it_defaults_file() == site
    settings, problems = store.load_checked()
    assert (settings.server_url, settings.language, settings.audio_input) == ("https://kuaichu.city.example", "en", "Jabra")
    assert problems == ()


def test_each_bad_key_is_named_with_its_file_and_keeps_its_default(tmp_path):
    site = write(tmp_path / "site.json", {"server_url": "kuaichu.city.example", "language": "fr",
                                          "display_fps": "fast", "verify_tls": "yes", "ca_bundle": "missing.pem",
                                          "colour": "red", "audio_output": "耳机"})
    settings, problems = store.load_checked(site, tmp_path / "none.json")
    by_key = {p.key: str(p) for p in problems}
    assert set(by_key) == {"server_url", "language", "display_fps", "verify_tls", "ca_bundle", "colour"}
    assert all(text.startswith(f"{site}: ") for text in by_key.values())
    assert "not an http(s) URL" in by_key["server_url"] and "zh_CN" in by_key["language"]
    assert "missing.pem does not exist" in by_key["ca_bundle"] and "unknown key" in by_key["colour"]
    defaults = SeatSettings()
    assert (settings.server_url, settings.language, settings.display_fps, settings.verify_tls, settings.ca_bundle) == (
        defaults.server_url, defaults.language, defaults.display_fps, defaults.verify_tls, "")
    assert settings.audio_output == "耳机"  # the good keys of a file with bad ones still count


def test_a_file_that_is_not_a_json_object_is_reported_and_defaults_are_used(tmp_path):
    for text, words in (("{not json", "not valid JSON"), ('["a"]', "must be a JSON object"),
                        (b"\xff\xfe\x00", "cannot be read")):
        site = tmp_path / "site.json"
        site.write_bytes(text) if isinstance(text, bytes) else write(site, text)
        settings, problems = store.load_checked(site, tmp_path / "none.json")
        assert settings == SeatSettings()
        assert len(problems) == 1 and problems[0].file == str(site) and words in problems[0].message


def test_the_ca_bundle_is_found_beside_the_site_file_and_used_for_tls(tmp_path):
    write(tmp_path / "city-ca.pem", PEM)
    site = write(tmp_path / "site.json", {"server_url": "https://kuaichu.city.example", "ca_bundle": "city-ca.pem"})
    settings, problems = store.load_checked(site, tmp_path / "none.json")
    assert problems == () and settings.tls_verify == str(tmp_path / "city-ca.pem")
    write(tmp_path / "not-a-cert.pem", "hello")
    reading = it_config.check({"ca_bundle": "not-a-cert.pem"}, "x.json", site=True, base_dir=tmp_path)
    assert reading.values == {} and "holds no PEM certificate" in reading.problems[0].message
    assert settings.evolve(verify_tls=False).tls_verify is False


def test_a_locked_site_keeps_the_server_url_from_the_user(tmp_path):
    site = write(tmp_path / "site.json", {"server_url": "https://kuaichu.city.example", "allow_server_change": False})
    user = write(tmp_path / "user.json", {"server_url": "https://elsewhere.example", "username": "operator1",
                                          "allow_server_change": True})
    settings, problems = store.load_checked(site, user)
    assert (settings.server_url, settings.username, settings.allow_server_change) == (
        "https://kuaichu.city.example", "operator1", False)
    assert {(p.file, p.key) for p in problems} == {(str(user), "server_url"), (str(user), "allow_server_change")}
    store.save(settings.evolve(server_url="https://typed.example", username="operator2"), site, user)
    assert json.loads(user.read_text(encoding="utf-8")) == {"username": "operator2"}


def test_an_unlocked_site_lets_the_user_choose_the_server(tmp_path):
    site = write(tmp_path / "site.json", {"server_url": "https://kuaichu.city.example"})
    user = write(tmp_path / "user.json", {"server_url": "https://training.city.example"})
    assert store.load_checked(site, user) == (SeatSettings(server_url="https://training.city.example"), ())


def test_ice_servers_need_stun_or_turn_urls(tmp_path):
    good = [{"urls": "stun:turn.city.example:3478"}, {"urls": ["turn:turn.city.example:3478"], "username": "u",
                                                     "credential": "p"}]
    assert it_config.check({"ice_servers": good}, "s.json", site=True).values == {"ice_servers": good}
    bad = it_config.check({"ice_servers": [{"urls": "http://x"}]}, "s.json", site=True)
    assert bad.values == {} and "stun:" in bad.problems[0].message


def test_the_example_file_is_shipped_and_has_no_unknown_key():
    data = json.loads(paths.it_example_file().read_text(encoding="utf-8"))
    reading = it_config.check(data, "seat.example.json", site=True)
    assert [p.key for p in reading.problems] == ["ca_bundle"]  # it names the city's CA file, not shipped
    assert {"server_url", "allow_server_change", "language", "audio_input", "ice_servers"} <= set(reading.values)
