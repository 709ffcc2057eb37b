"""OCR bench: the seat's local OCR against the targets of issue #4, and against a plain RapidOCR call.

    python bench/ocr_bench.py            # full run (a few minutes on two cores)
    python bench/ocr_bench.py --quick    # fewer samples, same figures
    python bench/ocr_bench.py --real-scenes-only   # only the shared real scene photos
    python bench/ocr_bench.py --review-crops DIR   # crops of the plates whose labels were reviewed

Figures, each against its target:

* capture -> fields ready on 1280x720 frames (p95 <= 250 ms), as the seat runs it: RGB frame and
  the shot's capture label in, overlay items out. Measured interleaved with RapidOCR's own full-frame call on the same
  frames, so both see the same machine load; the ratio of the two is the figure to compare
  across machines (the issue's baseline: about 340 ms median for the plain call);
* per plate crop, recognition + grammar decoding + colour (<= 30 ms);
* exact whole-plate matches on the 689 real crops (>= 98%);
* synthetic scenes: exact plates (>= 99%); synthetic documents: exact fields (>= 97%);
* real plate crops mounted in synthetic scenes, 90-260 px wide (no target: how well a real
  plate is found and read in a whole frame, the step the crop figure leaves out);
* the shared real scene photos (../shared/data/scenes-real, issue #16), read as
  ``kuaichu-ocr --kind plate`` reads them, interleaved with a plain RapidOCR call on the same
  photo: labelled plates read exactly (a valid reading of the label), invented plates (a valid
  reading that matches no label), partial and otherwise flagged readings, median and p95 time
  against the plain call, all of it per plate colour and size band, and where our time goes per
  stage, against the labels as given and as reviewed (bench/data/scenes_real_review.tsv). The
  photos are split into two fixed halves by a hash of the file name: a threshold is chosen on
  half A and reported on half B, and both halves are printed. Then the time for a
  12 MP photo (<= 400 ms): the largest shared photos scaled up to 12 MP.

Frames and samples come from tests/synthetic with fixed seeds: the same run twice measures the
same pictures. Results are also written to bench/out/ocr_bench.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kuaichu_protocol import validators  # noqa: E402
from seat_app.services.ocr import plate as plate_module  # noqa: E402
from seat_app.services.ocr.engine import OcrEngine  # noqa: E402
from seat_app.services.ocr.plate import PlateReader  # noqa: E402
from seat_app.services.ocr.reader import OcrReader  # noqa: E402
from seat_app.services.ocr.seat_port import LocalOcr  # noqa: E402
from tests.synthetic import samples  # noqa: E402

PLATES_REAL = Path(os.environ.get("KUAICHU_PLATES_REAL", ROOT.parent / "shared" / "data" / "plates-real"))
SCENES_REAL = Path(os.environ.get("KUAICHU_SCENES_REAL", ROOT.parent / "shared" / "data" / "scenes-real"))
# Where the shared labels disagree with their photos (see the file's header); figures are given both ways.
LABEL_REVIEW = ROOT / "bench" / "data" / "scenes_real_review.tsv"
REVIEW_FINDINGS = ("wrong_label", "unlabelled", "cut_by_frame")
# Plate width in the photo's own pixels, from the box that read it (ours, else the plain call's).
SIZE_BANDS = ((0, 80, "<80 px"), (80, 120, "80-120 px"), (120, 200, "120-200 px"), (200, 10**6, ">=200 px"))
TARGETS = {"fields_p95_ms": 250.0, "crop_ms": 30.0, "real_crops": 0.98, "synthetic_plates": 0.99,
           "synthetic_fields": 0.97}
SEED = 4242
# Pause between the two calls: RapidOCR's own sessions keep their threads spinning for a moment
# after a call, which would otherwise land on whichever call comes next.
SETTLE_S = 0.2
DOCUMENT_LABEL = {"driver_licence": "licence", "vehicle_licence": "vehicle_licence", "insurance": "insurance"}


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    out = call()
    return (time.perf_counter() - started) * 1000, out


# --- speed ------------------------------------------------------------------------------
def frame_speed(plain_ocr, port: LocalOcr, frames: list[tuple[str, str, np.ndarray]]) -> dict:
    """Plain RapidOCR vs our pipeline on each frame, alternating, so both meet the same load.
    Ours gets the capture label the seat would pass (scene, or the document's); a document
    shown on a shot labelled scene is timed too, as the cost of a wrong label."""
    plain, ours = {"scene": [], "document": []}, {"scene": [], "document": []}
    mislabelled = []
    for kind, label, bgr in frames:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        ms, _ = timed(lambda: plain_ocr(bgr))
        plain[kind].append(ms)
        time.sleep(SETTLE_S)
        ms, _ = timed(lambda: port.read(rgb, label))
        ours[kind].append(ms)
        if kind == "document":
            mislabelled.append(timed(lambda: port.read(rgb, "scene"))[0])
    every_plain = plain["scene"] + plain["document"]
    every_ours = ours["scene"] + ours["document"]
    out = {"frames": len(frames)}
    for name, values in (("plain", every_plain), ("ours", every_ours)):
        out[name] = {"median": percentile(values, 50), "p95": percentile(values, 95)}
    for kind in ("scene", "document"):
        out[kind] = {"plain_median": percentile(plain[kind], 50), "ours_median": percentile(ours[kind], 50),
                     "ours_p95": percentile(ours[kind], 95)}
    out["document_labelled_scene"] = {"median": percentile(mislabelled, 50), "p95": percentile(mislabelled, 95)}
    out["ratio_median"] = out["ours"]["median"] / out["plain"]["median"]
    out["ratio_p95"] = out["ours"]["p95"] / out["plain"]["p95"]
    return out


def crop_speed(plates: PlateReader, crops: list[np.ndarray]) -> dict:
    """One crop at a time, as a located plate is read: recognition, grammar decoding, colour."""
    times = [timed(lambda c=crop: plates.read_crops([c]))[0] for crop in crops]
    return {"crops": len(crops), "median": percentile(times, 50), "p95": percentile(times, 95)}


# --- accuracy ---------------------------------------------------------------------------
def real_crops(limit: int | None = None) -> list[tuple[str, np.ndarray]]:
    files = sorted(PLATES_REAL.glob("*.jpg"))[:limit]
    return [(f.stem, cv2.imdecode(np.fromfile(str(f), np.uint8), cv2.IMREAD_COLOR)) for f in files]


def real_accuracy(plates: PlateReader, crops: list[tuple[str, np.ndarray]]) -> dict:
    readings = plates.read_crops([image for _, image in crops])
    right = sum(r.text == label for (label, _), r in zip(crops, readings))
    return {"crops": len(crops), "exact": right / len(crops) if crops else float("nan")}


def synthetic_plates(reader: OcrReader, scenes: list[samples.Sample]) -> dict:
    """Exact: the plate's text among the readings. Invented: a valid reading that matches no plate
    (issue #16); a partial reading ('?' for what could not be read) is counted apart."""
    total = right = invented = partial = 0
    for sample in scenes:
        plates = reader.read(sample.image, "auto").plates
        found = {p.text for p in plates}
        truth = {text for text, _ in sample.plates}
        total += len(truth)
        right += len(truth & found)
        invented += len({p.text for p in plates if p.valid} - truth)
        partial += sum(p.partial for p in plates)
    return {"scenes": len(scenes), "plates": total, "exact": right / total, "invented": invented, "partial": partial}


def real_plates_in_scenes(reader: OcrReader, crops: list[tuple[str, np.ndarray]], count: int) -> dict:
    """Real plate crops mounted in synthetic scenes: whether the plate is found and read in a
    whole frame, as the seat meets it, and not only when handed a tight crop."""
    picks = random.Random(SEED).sample(range(len(crops)), min(count, len(crops)))
    by_width: dict[int, list[int]] = {}
    for n, i in enumerate(picks):
        label, crop = crops[i]
        sample = samples.real_plate_scene(crop, label, seed=SEED * 1000 + n)
        found = label in {p.text for p in reader.read(sample.image, "auto").plates}
        by_width.setdefault(sample.plate_width, []).append(found)
    every = [hit for hits in by_width.values() for hit in hits]
    return {"scenes": len(every), "exact": sum(every) / len(every) if every else float("nan"),
            "by_width": {w: sum(h) / len(h) for w, h in sorted(by_width.items())}}


def synthetic_documents(reader: OcrReader, docs: list[samples.Sample]) -> dict:
    total = right = kinds = 0
    for sample in docs:
        result = reader.read(sample.image, "auto")
        kinds += str(result.kind) == sample.kind
        for name, truth in sample.fields.items():
            total += 1
            right += name in result.fields and result.fields[name].text == truth
    return {"documents": len(docs), "fields": total, "exact": right / total, "kind_exact": kinds / len(docs)}


# --- real scene photos (issue #16) --------------------------------------------------------
def photo_half(name: str) -> str:
    """A or B, fixed by the file name alone: thresholds are chosen on A and reported on B."""
    return "A" if hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def real_scene_photos(limit: int | None = None) -> list[dict]:
    """Each photo with its labels as given and as reviewed (``label_review``): ``reviewed`` are
    the plates to read exactly, ``cut`` the plates the frame's edge cuts through."""
    rows = (SCENES_REAL / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:]
    review = label_review()
    photos = []
    for row in rows[:limit]:
        name, plates, colours = row.split("\t")
        image = real_scene_image(name)
        labels = list(zip(plates.split(","), colours.split(",")))
        reviewed, cut = reviewed_labels(labels, review.get(name, []))
        photos.append({"name": name, "half": photo_half(name), "image": image, "labels": labels,
                       "reviewed": reviewed, "cut": cut})
    return photos


def real_scene_image(name: str) -> np.ndarray:
    return cv2.imdecode(np.fromfile(str(SCENES_REAL / "images" / name), np.uint8), cv2.IMREAD_COLOR)


def label_review() -> dict[str, list[dict]]:
    """bench/data/scenes_real_review.tsv by file: where a label disagrees with its photo, checked by eye."""
    lines = [line for line in LABEL_REVIEW.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    review: dict[str, list[dict]] = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        if row["finding"] not in REVIEW_FINDINGS:
            raise ValueError(f"{LABEL_REVIEW.name}: unknown finding {row['finding']!r} for {row['file']}")
        review.setdefault(row["file"], []).append(row)
    return review


def reviewed_labels(labels: list[tuple[str, str]], findings: list[dict]) -> tuple[list[tuple[str, str]], set[str]]:
    """(plates to read exactly, plates cut by the frame) after the review's findings for one photo."""
    plates = list(labels)
    cut = set()
    for row in findings:
        if row["labelled"] and row["labelled"] not in {text for text, _ in plates}:
            raise ValueError(f"{LABEL_REVIEW.name}: {row['file']} has no label {row['labelled']}")
        if row["finding"] == "cut_by_frame":
            cut.add(row["labelled"])
            plates = [(text, colour) for text, colour in plates if text != row["labelled"]]
        elif row["finding"] == "wrong_label":
            plates = [(row["reviewed"], colour) if text == row["labelled"] else (text, colour) for text, colour in plates]
        else:
            plates.append((row["reviewed"], row["colour"]))
    return plates, cut


def write_review_crops(folder: Path) -> None:
    """One PNG per row of the label review: the box and some of its surroundings, three times as large."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in label_review().items():
        image = real_scene_image(name)
        for row in rows:
            x0, y0, x1, y1 = (int(v) for v in row["box"].split(","))
            w, h = x1 - x0, y1 - y0
            crop = image[max(0, y0 - h):y1 + h, max(0, x0 - w // 2):x1 + w // 2]
            out = folder / f"{Path(name).stem}_{row['reviewed']}_{row['finding']}.png"
            cv2.imencode(".png", cv2.resize(crop, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC))[1].tofile(str(out))
            print(out)


class StageClock:
    """Time per stage of our reading, by wrapping the few calls the stages are made of. What is
    left of the whole (grouping, cutting out, the caller's own work) is reported as 'other'."""

    STAGES = ("detect", "locate", "recognise", "decode", "colour")

    def __init__(self, reader: OcrReader) -> None:
        self.ms = {stage: 0.0 for stage in self.STAGES}
        self._undo = []
        self._wrap(reader.engine, "detect", "detect")
        self._wrap(reader.engine, "recognise", "recognise")
        self._wrap(reader.plates, "decode", "decode")  # the grammar decoder, as the plate reader calls it
        self._wrap(plate_module, "find_candidates", "locate")
        self._wrap(plate_module, "plate_colour", "colour")

    def _wrap(self, owner, attribute: str, stage: str) -> None:
        original = getattr(owner, attribute)

        def timed_call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.ms[stage] += (time.perf_counter() - started) * 1000

        setattr(owner, attribute, timed_call)
        self._undo.append((owner, attribute, original))

    def take(self) -> dict[str, float]:
        taken, self.ms = self.ms, {stage: 0.0 for stage in self.STAGES}
        return taken

    def close(self) -> None:
        for owner, attribute, original in reversed(self._undo):
            if owner is plate_module:
                setattr(owner, attribute, original)
            else:
                delattr(owner, attribute)  # the instance attribute hid the class's method


def plates_in_lines(lines) -> dict[str, float]:
    """Every valid plate string inside the plain call's text lines, with the line's box width."""
    found: dict[str, float] = {}
    for box, text, _score in lines or []:
        line = validators.normalise_plate(text)
        width = float(np.linalg.norm(np.subtract(box[1], box[0])))
        for size in (7, 8):
            for start in range(len(line) - size + 1):
                if validators.is_valid_plate(line[start:start + size]):
                    found.setdefault(line[start:start + size], width)
    return found


def size_band(width: float | None) -> str:
    if width is None:
        return "not found"
    return next(name for low, high, name in SIZE_BANDS if low <= width < high)


def real_scenes(reader: OcrReader, plain_ocr, photos: list[dict]) -> dict:
    """Ours (``--kind plate``) and the plain call on each photo, interleaved."""
    clock = StageClock(reader)
    records = []
    try:
        for photo in photos:
            ms_plain, (lines, _) = timed(lambda: plain_ocr(photo["image"]))
            time.sleep(SETTLE_S)
            clock.take()
            ms_ours, result = timed(lambda: reader.read(photo["image"], "plate"))
            records.append({"photo": photo, "plain_ms": ms_plain, "ours_ms": ms_ours, "stages": clock.take(),
                            "plain": plates_in_lines(lines), "ours": result.plates})
    finally:
        clock.close()
    out = {"photos": len(records), "halves": {}, "reviewed": {}}
    for half in ("A", "B", "all"):
        chosen = [r for r in records if half == "all" or r["photo"]["half"] == half]
        out["halves"][half] = real_scene_figures(chosen)
        out["reviewed"][half] = real_scene_figures(chosen, reviewed=True)
    out["misses"] = [{"file": r["photo"]["name"], "labels": [t for t, _ in r["photo"]["labels"]],
                      "ours": [(p.text, p.valid, p.reason) for p in r["ours"]], "plain": sorted(r["plain"])}
                     for r in records
                     if {t for t, _ in r["photo"]["labels"]} - {p.text for p in r["ours"] if p.valid}
                     or {p.text for p in r["ours"] if p.valid} - {t for t, _ in r["photo"]["labels"]}]
    return out


TWELVE_MP = 12_000_000
TWELVE_MP_TARGET_MS = 400.0
TWELVE_MP_PHOTOS = 12  # the largest shared photos, each scaled up to 12 MP


def twelve_mp_speed(reader: OcrReader, photos: list[dict]) -> dict:
    """Our ``--kind plate`` reading of a full-resolution phone photo (issue #16: <= 400 ms). The
    shared set has no 12 MP photo, so its largest ones are scaled up to 12 MP (same aspect):
    the plates and the scene are real, the pixel count is the camera's."""
    largest = sorted(photos, key=lambda p: -p["image"].shape[0] * p["image"].shape[1])[:TWELVE_MP_PHOTOS]
    times = []
    for photo in largest:
        height, width = photo["image"].shape[:2]
        scale = (TWELVE_MP / (width * height)) ** 0.5
        big = cv2.resize(photo["image"], (round(width * scale), round(height * scale)), interpolation=cv2.INTER_CUBIC)
        times.append(timed(lambda: reader.read(big, "plate"))[0])
    return {"photos": len(times), "median": percentile(times, 50), "p95": percentile(times, 95),
            "max": max(times, default=float("nan"))}


def real_scene_figures(records: list[dict], reviewed: bool = False) -> dict:
    """``reviewed``: against the labels as the review corrected them (LABEL_REVIEW), where a plate the
    frame cuts through is not one to read exactly but one to read as partial, and a whole, valid
    reading of it counts as invented."""
    plates = []  # one row per labelled plate
    invented = partial = flagged = 0
    cut = cut_partial = 0
    reasons: dict[str, int] = {}
    for r in records:
        labels = r["photo"]["reviewed"] if reviewed else r["photo"]["labels"]
        truth = {text for text, _ in labels}
        valid = {p.text: p for p in r["ours"] if p.valid}
        invented += len(set(valid) - truth)
        for text in r["photo"]["cut"] if reviewed else ():
            cut += 1
            cut_partial += any(p.partial and len(p.text) == len(text)
                               and all(a == "?" or a == b for a, b in zip(p.text, text)) for p in r["ours"])
        for p in r["ours"]:
            if not p.valid:
                flagged += 1
                partial += p.reason == "partial"
                reasons[p.reason] = reasons.get(p.reason, 0) + 1
        boxes = {p.text: p.box for p in r["ours"]}
        for text, colour in labels:
            width = (float(np.linalg.norm(np.subtract(boxes[text][1], boxes[text][0]))) if text in boxes
                     else r["plain"].get(text))
            plates.append({"colour": colour, "band": size_band(width), "ours": text in valid,
                           "flagged_right": text in boxes and text not in valid, "plain": text in r["plain"]})
    plain_ms = [r["plain_ms"] for r in records]
    ours_ms = [r["ours_ms"] for r in records]
    stages = {s: percentile([r["stages"][s] for r in records], 50) for s in StageClock.STAGES}
    stages["other"] = percentile([r["ours_ms"] - sum(r["stages"].values()) for r in records], 50)
    return {
        "photos": len(records), "plates": len(plates),
        "exact": _share(plates, "ours"), "plain_exact": _share(plates, "plain"),
        "right_but_flagged": sum(p["flagged_right"] for p in plates),
        "invented": invented, "invented_per_100": 100 * invented / max(1, len(records)),
        "partial": partial, "flagged": flagged, "reasons": reasons, "cut": cut, "cut_read_partial": cut_partial,
        "plain": {"median": percentile(plain_ms, 50), "p95": percentile(plain_ms, 95)},
        "ours": {"median": percentile(ours_ms, 50), "p95": percentile(ours_ms, 95)},
        "ratio_median": percentile(ours_ms, 50) / percentile(plain_ms, 50) if records else float("nan"),
        "ratio_p95": percentile(ours_ms, 95) / percentile(plain_ms, 95) if records else float("nan"),
        "stages_median_ms": stages,
        "by_colour": _grouped(plates, "colour"), "by_band": _grouped(plates, "band"),
    }


def _share(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows) if rows else float("nan")


def _grouped(rows: list[dict], key: str) -> dict:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return {name: {"plates": len(g), "exact": _share(g, "ours"), "plain_exact": _share(g, "plain")}
            for name, g in sorted(groups.items())}


def report_real_scenes(rs: dict) -> None:
    print(f"\nreal scene photos ({rs['photos']}, ../shared/data/scenes-real; thresholds chosen on A, reported on B)")
    for half in ("A", "B", "all"):
        h = rs["halves"][half]
        print(f"  half {half:3s} {h['photos']:3d} photos, {h['plates']:3d} plates: ours {h['exact']:6.1%} exact"
              f" ({h['right_but_flagged']} more right but flagged), plain call {h['plain_exact']:6.1%};"
              f" invented {h['invented']} ({h['invented_per_100']:.1f} per 100 photos),"
              f" partial {h['partial']}, flagged {h['flagged']}")
        print(f"      time: ours median {h['ours']['median']:5.0f} ms p95 {h['ours']['p95']:5.0f} ms,"
              f" plain median {h['plain']['median']:5.0f} ms p95 {h['plain']['p95']:5.0f} ms;"
              f" ratio median {h['ratio_median']:.2f} [{mark(h['ratio_median'] <= 0.4)}] <= 0.4,"
              f" p95 {h['ratio_p95']:.2f} [{mark(h['ratio_p95'] <= 0.6)}] <= 0.6")
    h = rs["halves"]["all"]
    print("    stage medians (ms): " + ", ".join(f"{s} {ms:.0f}" for s, ms in h["stages_median_ms"].items()))
    for key in ("by_colour", "by_band"):
        print(f"    {key.replace('_', ' ')}: " + "; ".join(
            f"{name} {g['exact']:.0%} of {g['plates']} (plain {g['plain_exact']:.0%})" for name, g in h[key].items()))
    print(f"    reasons flagged: {h['reasons']}")
    print(f"  [{mark(h['exact'] >= 0.97)}] >= 97% exact   [{mark(h['invented_per_100'] <= 1)}] <= 1 invented per 100 photos")
    print(f"  with the labels as reviewed ({LABEL_REVIEW.relative_to(ROOT)}: wrong labels corrected, unlabelled"
          " plates added, plates the frame cuts through to be read as partial):")
    for half in ("A", "B", "all"):
        h = rs["reviewed"][half]
        print(f"  half {half:3s} {h['plates']:3d} plates: ours {h['exact']:6.1%} exact, plain call {h['plain_exact']:6.1%};"
              f" invented {h['invented']} ({h['invented_per_100']:.1f} per 100 photos);"
              f" cut by the frame {h['cut']}, read as partial {h['cut_read_partial']}")
    h = rs["reviewed"]["all"]
    print(f"  [{mark(h['exact'] >= 0.97)}] >= 97% exact   [{mark(h['invented_per_100'] <= 1)}] <= 1 invented per 100 photos")
    t = rs["twelve_mp"]
    print(f"  12 MP photos ({t['photos']} of the largest, scaled up): ours median {t['median']:.0f} ms, p95 {t['p95']:.0f} ms,"
          f" max {t['max']:.0f} ms   [{mark(t['median'] <= TWELVE_MP_TARGET_MS)}] <= {TWELVE_MP_TARGET_MS:.0f} ms")


# --- report -----------------------------------------------------------------------------
def mark(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def report(r: dict) -> None:
    s, c = r["speed"], r["crop_speed"]
    print(f"machine: {os.cpu_count()} cores, load average {r['load_before']} -> {os.getloadavg()[0]:.2f}")
    print(f"models loaded in {r['load_ms']:.0f} ms, warm-up {r['warm_ms']:.0f} ms")
    print(f"\n1280x720 frames ({s['frames']}: plate scenes and documents, interleaved)")
    print(f"  plain RapidOCR full-frame call   median {s['plain']['median']:6.0f} ms   p95 {s['plain']['p95']:6.0f} ms")
    print(f"  ours, capture -> fields ready    median {s['ours']['median']:6.0f} ms   p95 {s['ours']['p95']:6.0f} ms")
    print(f"  ratio ours/plain                 median {s['ratio_median']:6.2f}      p95 {s['ratio_p95']:6.2f}")
    for kind in ("scene", "document"):
        k = s[kind]
        print(f"    {kind:9s} plain median {k['plain_median']:5.0f} ms, ours median {k['ours_median']:5.0f} ms,"
              f" p95 {k['ours_p95']:5.0f} ms")
    m = s["document_labelled_scene"]
    print(f"    a document on a shot labelled scene: median {m['median']:5.0f} ms, p95 {m['p95']:5.0f} ms (not in the p95)")
    print(f"  [{mark(s['ours']['p95'] <= TARGETS['fields_p95_ms'])}] p95 <= {TARGETS['fields_p95_ms']:.0f} ms"
          f" (at the issue's 340 ms baseline the ratio gives {340 * s['ratio_median']:.0f} ms median)")
    print(f"\nper plate crop ({c['crops']})       median {c['median']:6.1f} ms   p95 {c['p95']:6.1f} ms"
          f"   [{mark(c['p95'] <= TARGETS['crop_ms'])}] <= {TARGETS['crop_ms']:.0f} ms")
    ra, rs, sp, sd = r["real"], r["real_in_scenes"], r["synthetic_plates"], r["synthetic_documents"]
    print("\naccuracy")
    print(f"  real plate crops      {ra['exact']:7.2%} exact of {ra['crops']:4d}"
          f"   [{mark(ra['exact'] >= TARGETS['real_crops'])}] >= {TARGETS['real_crops']:.0%}")
    widths = ", ".join(f"{w} px {share:.0%}" for w, share in rs["by_width"].items())
    print(f"  real plates in scenes {rs['exact']:7.2%} exact of {rs['scenes']:4d} (no target; by plate width: {widths})")
    print(f"  synthetic plates      {sp['exact']:7.2%} exact of {sp['plates']:4d} in {sp['scenes']} scenes,"
          f" {sp['invented']} invented, {sp['partial']} partial   [{mark(sp['exact'] >= TARGETS['synthetic_plates'])}]"
          f" >= {TARGETS['synthetic_plates']:.0%}")
    print(f"  synthetic documents   {sd['exact']:7.2%} fields exact of {sd['fields']:4d} in {sd['documents']} documents,"
          f" kind {sd['kind_exact']:.0%}   [{mark(sd['exact'] >= TARGETS['synthetic_fields'])}]"
          f" >= {TARGETS['synthetic_fields']:.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about a minute)")
    parser.add_argument("--real-scenes-only", action="store_true", help="only the shared real scene photos")
    parser.add_argument("--review-crops", type=Path, metavar="DIR",
                        help=f"write a crop of each plate in {LABEL_REVIEW.name} to DIR, to check the review by eye, and stop")
    args = parser.parse_args(argv)
    if args.review_crops:
        write_review_crops(args.review_crops)
        return 0
    n_frames, n_crops, n_scenes, n_docs = (16, 60, 40, 30) if args.quick else (40, 200, 150, 90)
    n_real_scenes = 60 if args.quick else 200

    results: dict = {"load_before": round(os.getloadavg()[0], 2), "quick": args.quick}
    results["load_ms"], engine = timed(OcrEngine)
    results["warm_ms"], _ = timed(engine.warm_up)
    reader = OcrReader(engine)
    port = LocalOcr(reader)
    from rapidocr_onnxruntime import RapidOCR

    plain_ocr = RapidOCR()  # its own instance, with every default untouched
    if args.real_scenes_only:
        return run_real_scenes(results, reader, plain_ocr, args.quick)

    scenes = samples.plate_scenes(n_scenes, seed=SEED)
    docs = samples.documents(n_docs, seed=SEED)
    half = n_frames // 2
    frames = [("scene", "scene", s.image) for s in scenes[:half]]
    frames += [("document", DOCUMENT_LABEL[d.kind], d.image) for d in docs[:half]]
    frames = [f for pair in zip(frames[:half], frames[half:]) for f in pair]  # alternate the two kinds
    plain_ocr(frames[0][2])
    results["speed"] = frame_speed(plain_ocr, port, frames)

    if not PLATES_REAL.is_dir():
        print(f"real plate crops not found at {PLATES_REAL} (set KUAICHU_PLATES_REAL)", file=sys.stderr)
        return 2
    crops = real_crops()
    results["crop_speed"] = crop_speed(reader.plates, [image for _, image in crops[:n_crops]])
    results["real"] = real_accuracy(reader.plates, crops)
    results["real_in_scenes"] = real_plates_in_scenes(reader, crops, n_real_scenes)
    results["synthetic_plates"] = synthetic_plates(reader, scenes)
    results["synthetic_documents"] = synthetic_documents(reader, docs)
    report(results)
    return run_real_scenes(results, reader, plain_ocr, args.quick)


def run_real_scenes(results: dict, reader: OcrReader, plain_ocr, quick: bool) -> int:
    if not (SCENES_REAL / "labels.tsv").is_file():
        print(f"real scene photos not found at {SCENES_REAL} (set KUAICHU_SCENES_REAL)", file=sys.stderr)
        return 2
    photos = real_scene_photos(40 if quick else None)
    plain_ocr(photos[0]["image"])
    results["real_scenes"] = real_scenes(reader, plain_ocr, photos)
    results["real_scenes"]["twelve_mp"] = twelve_mp_speed(reader, photos)
    report_real_scenes(results["real_scenes"])
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr_bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str),
                                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
