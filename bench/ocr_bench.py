"""OCR bench: the seat's local OCR against the targets of issue #4, and against a plain RapidOCR call.

    python bench/ocr_bench.py            # full run (a few minutes on two cores)
    python bench/ocr_bench.py --quick    # fewer samples, same figures

Figures, each against its target:

* capture -> fields ready on 1280x720 frames (p95 <= 250 ms), as the seat runs it: RGB frame and
  the shot's capture label in, overlay items out. Measured interleaved with RapidOCR's own full-frame call on the same
  frames, so both see the same machine load; the ratio of the two is the figure to compare
  across machines (the issue's baseline: about 340 ms median for the plain call);
* per plate crop, recognition + grammar decoding + colour (<= 30 ms);
* exact whole-plate matches on the 689 real crops (>= 98%);
* synthetic scenes: exact plates (>= 99%); synthetic documents: exact fields (>= 97%);
* real plate crops mounted in synthetic scenes, 90-260 px wide (no target: how well a real
  plate is found and read in a whole frame, the step the crop figure leaves out).

Frames and samples come from tests/synthetic with fixed seeds: the same run twice measures the
same pictures. Results are also written to bench/out/ocr_bench.json.
"""
from __future__ import annotations

import argparse
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

from seat_app.services.ocr.engine import OcrEngine  # noqa: E402
from seat_app.services.ocr.plate import PlateReader  # noqa: E402
from seat_app.services.ocr.reader import OcrReader  # noqa: E402
from seat_app.services.ocr.seat_port import LocalOcr  # noqa: E402
from tests.synthetic import samples  # noqa: E402

PLATES_REAL = Path(os.environ.get("KUAICHU_PLATES_REAL", ROOT.parent / "shared" / "data" / "plates-real"))
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
    total = right = invented = 0
    for sample in scenes:
        found = {p.text for p in reader.read(sample.image, "auto").plates}
        truth = {text for text, _ in sample.plates}
        total += len(truth)
        right += len(truth & found)
        invented += len(found - truth)
    return {"scenes": len(scenes), "plates": total, "exact": right / total, "invented": invented}


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
          f" {sp['invented']} invented   [{mark(sp['exact'] >= TARGETS['synthetic_plates'])}]"
          f" >= {TARGETS['synthetic_plates']:.0%}")
    print(f"  synthetic documents   {sd['exact']:7.2%} fields exact of {sd['fields']:4d} in {sd['documents']} documents,"
          f" kind {sd['kind_exact']:.0%}   [{mark(sd['exact'] >= TARGETS['synthetic_fields'])}]"
          f" >= {TARGETS['synthetic_fields']:.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about a minute)")
    args = parser.parse_args(argv)
    n_frames, n_crops, n_scenes, n_docs = (16, 60, 40, 30) if args.quick else (40, 200, 150, 90)
    n_real_scenes = 60 if args.quick else 200

    results: dict = {"load_before": round(os.getloadavg()[0], 2), "quick": args.quick}
    results["load_ms"], engine = timed(OcrEngine)
    results["warm_ms"], _ = timed(engine.warm_up)
    reader = OcrReader(engine)
    port = LocalOcr(reader)

    scenes = samples.plate_scenes(n_scenes, seed=SEED)
    docs = samples.documents(n_docs, seed=SEED)
    half = n_frames // 2
    frames = [("scene", "scene", s.image) for s in scenes[:half]]
    frames += [("document", DOCUMENT_LABEL[d.kind], d.image) for d in docs[:half]]
    frames = [f for pair in zip(frames[:half], frames[half:]) for f in pair]  # alternate the two kinds
    from rapidocr_onnxruntime import RapidOCR

    plain_ocr = RapidOCR()  # its own instance, with every default untouched
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
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr_bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
