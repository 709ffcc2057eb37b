"""Document bench: the time to render one 道路交通事故认定书 PDF, and its size.

    PYTHONPATH=. .venv/bin/python bench/document_bench.py            # 50 renders of each document
    PYTHONPATH=. .venv/bin/python bench/document_bench.py --quick    # 10 renders

Three documents go through server/adapters/liability_pdf.py: the README's sample (two
parties), the same with three parties, and one whose facts run onto a second page. The
first render of the process is reported on its own: it also loads and registers the font
(WenQuanYi Micro Hei, 5 MB), once per process. Each later render subsets and embeds the
glyphs again, which is most of its time.

Target (issue #12): rendering one document takes <= 200 ms (p95 here).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

from scripts.render_sample_document import sample_document
from server.adapters.liability_pdf import render_liability_document
from server.domain.liability_document import LiabilityDocument, PartyBlock

TARGET_P95_MS = 200.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def documents() -> dict[str, LiabilityDocument]:
    sample = sample_document()
    first, second = sample.parties
    third = PartyBlock(label="丙", name="赵丽华", id_number="510108197702283317", phone="13547712345",
                       mode_of_travel="驾驶电动自行车", vehicle_type="电动自行车", plate="川A·B7263",
                       insurer="", policy_number="", responsibility="none")
    long_facts = "\n".join([sample.facts] * 9)
    return {
        "two parties (README sample)": sample,
        "three parties": replace(sample, parties=(first, second, third)),
        "long facts, two pages": replace(sample, facts=long_facts),
    }


def measure(doc: LiabilityDocument, renders: int) -> tuple[list[float], int]:
    times_ms, size = [], 0
    for _ in range(renders):
        start = time.perf_counter()
        pdf = render_liability_document(doc)
        times_ms.append((time.perf_counter() - start) * 1000)
        size = len(pdf)
    return times_ms, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="liability document bench (issue #12 target)")
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="10 renders of each document")
    args = parser.parse_args(argv)
    renders = 10 if args.quick else args.renders
    docs = documents()

    start = time.perf_counter()
    render_liability_document(next(iter(docs.values())))
    cold_ms = (time.perf_counter() - start) * 1000

    print(f"renders: {renders} of each   machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"     first render, with the font load     {cold_ms:6.0f} ms   (once per process)")
    ok = True
    for name, doc in docs.items():
        times, size = measure(doc, renders)
        p95 = percentile(times, 95)
        hit = p95 <= TARGET_P95_MS
        ok &= hit
        print(f"{'OK  ' if hit else 'MISS'} {name:<30} median {statistics.median(times):6.1f} ms"
              f"  p95 {p95:6.1f} ms   target p95 <= {TARGET_P95_MS:.0f} ms ({p95 / TARGET_P95_MS:.2f} of it)"
              f"   PDF {size / 1024:.0f} KB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
