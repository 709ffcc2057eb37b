"""``kuaichu-ocr``: one report per image, a clear line for a bad file, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from seat_app import ocr_cli
from kuaichu_artwork import artwork
from seat_app.services.ocr.reader import OcrReader


@pytest.fixture(autouse=True)
def shared_reader(monkeypatch, reader: OcrReader):
    """The CLI would load the models per run; in tests it reuses the session's reader."""
    monkeypatch.setattr(ocr_cli, "_make_reader", lambda: reader)


@pytest.fixture
def scene_file(tmp_path: Path) -> Path:
    path = tmp_path / "现场.jpg"  # a Chinese file name, as stored evidence may have
    ok, data = cv2.imencode(".jpg", artwork.render_scene([("川A5F7K2", "blue"), ("川AD35812", "green")], seed=3))
    path.write_bytes(data.tobytes())
    return path


def test_json_output_has_the_documented_keys(scene_file: Path, capsys):
    assert ocr_cli.main(["--json", str(scene_file)]) == 0
    record = json.loads(capsys.readouterr().out.strip())
    assert set(record) == {"file", "kind", "plates", "fields", "ms"}
    assert record["file"] == str(scene_file) and record["kind"] == "plate"
    assert {p["text"] for p in record["plates"]} == {"川A5F7K2", "川AD35812"}
    plate = next(p for p in record["plates"] if p["text"] == "川AD35812")
    assert set(plate) == {"text", "plate_type", "colour", "confidence", "char_confidences", "alternatives", "box",
                          "valid", "reason"}
    assert (plate["plate_type"], plate["valid"], plate["reason"]) == ("new_energy_small", True, "")
    assert len(plate["char_confidences"]) == len(plate["alternatives"]) == 8
    assert len(plate["box"]) == 4 and record["ms"] > 0


def test_text_output_names_kind_plates_and_time(scene_file: Path, capsys):
    assert ocr_cli.main(["--kind", "plate", str(scene_file)]) == 0
    out = capsys.readouterr().out
    assert "川A5F7K2" in out and "类型: 车牌" in out and "耗时" in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "文件为空"), (b"not an image at all", "不是可识别的图像"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "不是可识别的图像")],
)
def test_bad_files_get_an_error_line_and_a_non_zero_exit(tmp_path: Path, scene_file: Path, capsys, content, reason):
    bad = tmp_path / "bad.png"
    bad.write_bytes(content)
    assert ocr_cli.main(["--json", str(bad), str(scene_file)]) == 1
    captured = capsys.readouterr()
    assert f"错误: {bad}: {reason}" in captured.err
    assert "Traceback" not in captured.err
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert records[0] == {"file": str(bad), "error": records[0]["error"]} and records[1]["kind"] == "plate"


def test_missing_file_and_directory(tmp_path: Path, capsys):
    assert ocr_cli.main([str(tmp_path / "nope.jpg"), str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "文件不存在" in err and "不是文件" in err


def test_a_gif_is_read_through_pillow(tmp_path: Path, capsys):
    from PIL import Image

    path = tmp_path / "scene.gif"
    rgb = cv2.cvtColor(artwork.render_scene([("川A5F7K2", "blue")], seed=1), cv2.COLOR_BGR2RGB)
    Image.fromarray(rgb).save(path)
    assert ocr_cli.main(["--json", str(path)]) == 0
    assert "川A5F7K2" in capsys.readouterr().out


def test_the_installed_command_reports_usage_errors_without_a_traceback():
    done = subprocess.run([sys.executable, "-m", "seat_app.ocr_cli", "--kind", "passport", "x.jpg"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "invalid choice" in done.stderr and "Traceback" not in done.stderr


def test_the_installed_command_rejects_a_non_image_end_to_end(tmp_path: Path):
    bad = tmp_path / "notes.txt"
    bad.write_text("事故记录", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "seat_app.ocr_cli", str(bad)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "错误" in done.stderr and "Traceback" not in done.stderr


def _unusual(kind: str, path: Path, bgr) -> None:
    import numpy as np
    from PIL import Image

    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    if kind == "grey.png":
        cv2.imwrite(str(path), cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    elif kind == "deep16.png":
        cv2.imwrite(str(path), bgr.astype(np.uint16) * 257)
    elif kind == "cmyk.jpg":
        Image.fromarray(rgb).convert("CMYK").save(path)
    elif kind == "exif-rotated.jpg":  # pixels stored on their side, the EXIF tag says turn them upright
        exif = Image.Exif()
        exif[0x0112] = 6
        Image.fromarray(cv2.rotate(rgb, cv2.ROTATE_90_COUNTERCLOCKWISE)).save(path, exif=exif)


@pytest.mark.parametrize("kind", ["grey.png", "deep16.png", "cmyk.jpg", "exif-rotated.jpg"])
def test_unusual_but_valid_image_files_are_read(tmp_path: Path, capsys, kind):
    path = tmp_path / kind
    _unusual(kind, path, artwork.render_scene([("川A5F7K2", "blue")], seed=1))
    assert ocr_cli.main(["--json", str(path)]) == 0
    plates = json.loads(capsys.readouterr().out)["plates"]
    assert [p["text"] for p in plates] == ["川A5F7K2"]
    assert plates[0]["colour"] == (None if kind == "grey.png" else "blue")


def test_a_one_pixel_and_a_truncated_image_are_errors(tmp_path: Path, scene_file: Path, capsys):
    tiny, cut = tmp_path / "tiny.png", tmp_path / "cut.jpg"
    cv2.imwrite(str(tiny), cv2.imread(str(scene_file))[:1, :1])
    cut.write_bytes(scene_file.read_bytes()[:5000])
    assert ocr_cli.main([str(tiny), str(cut)]) == 1
    err = capsys.readouterr().err
    assert f"错误: {tiny}:" in err and f"错误: {cut}:" in err and "Traceback" not in err


def test_a_jpeg_missing_its_last_bytes_is_read_as_far_as_it_goes_with_a_warning(tmp_path: Path, capsys):
    """A phone upload cut short: the plate in the top part of the picture is still read."""
    scene = artwork.render_scene([("川A5F7K2", "blue")], seed=3)
    plate = cv2.resize(artwork.render_plate("川B67890", "blue"), (260, 83))
    scene[60:143, 500:760] = plate
    ok, data = cv2.imencode(".jpg", scene)
    cut, bad = tmp_path / "cut.jpg", tmp_path / "bad.jpg"
    cut.write_bytes(data.tobytes()[: len(data) * 9 // 10])
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    assert ocr_cli.main(["--json", str(bad), str(cut)]) == 1  # one bad file does not stop the next
    out, err = capsys.readouterr()
    record = json.loads(out.strip().splitlines()[-1])
    assert "川B67890" in {p["text"] for p in record["plates"]}
    assert record["warnings"] and "不完整" in record["warnings"][0]
    assert f"警告: {cut}:" in err and f"错误: {bad}:" in err and "Traceback" not in err


def test_heic_and_progressive_jpeg_files_are_read(tmp_path: Path, scene_file: Path, capsys):
    from PIL import Image
    pillow_heif = pytest.importorskip("pillow_heif")

    picture = Image.open(scene_file).convert("RGB")
    heic, progressive = tmp_path / "iphone.heic", tmp_path / "progressive.jpg"
    pillow_heif.from_pillow(picture).save(str(heic), quality=90)
    picture.save(progressive, "JPEG", quality=90, progressive=True)
    assert ocr_cli.main(["--json", str(heic), str(progressive)]) == 0
    for line in capsys.readouterr().out.strip().splitlines():
        assert {p["text"] for p in json.loads(line)["plates"]} == {"川A5F7K2", "川AD35812"}
