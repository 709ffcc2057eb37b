"""Draws docs/liability-document.png, the first page of a sample 道路交通事故认定书（简易程序）.

    PYTHONPATH=. .venv/bin/python scripts/render_sample_document.py [--pdf out.pdf] [--preview]

The document is fictional (the demo city's parties, vehicles and a rear-end collision);
it goes through the real renderer, server/adapters/liability_pdf.py, and pdftoppm
(poppler-utils) turns its first page into the PNG that the README shows.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from server.adapters.liability_pdf import render_liability_document
from server.domain.liability_document import LiabilityDocument, PartyBlock, ViolationLine

TARGET = Path("docs/liability-document.png")
RESOLUTION = 80

FACTS = ("2026年12月2日9时41分许，王建国驾驶川A·5F7K2号小型轿车沿成都市武侯区天府大道北段由北向南行驶至"
         "天府大道北段与锦城大道交叉口北侧约50米处时，与前方因交通信号灯变为红灯减速停车的李秀英驾驶的"
         "川A·D35812号小型轿车尾部相撞，造成两车不同程度损坏，无人员受伤。\n"
         "事故发生后，双方当事人将车辆移至路边安全地点，通过视频快处方式报警，并按要求拍摄了现场、车辆"
         "损坏部位、号牌及证件照片。")


def sample_document(preview: bool = False) -> LiabilityDocument:
    rear_end = ViolationLine(
        code="LAW43", behaviour="驾驶机动车未与前车保持足以采取紧急制动措施的安全距离",
        article="《中华人民共和国道路交通安全法》第四十三条")
    parties = (
        PartyBlock(label="甲", name="王建国", id_number="510107198503124613", phone="13880012345",
                   mode_of_travel="驾驶小型轿车", vehicle_type="小型轿车", plate="川A·5F7K2",
                   insurer="中国人民财产保险股份有限公司成都市分公司", policy_number="PDZA202651010000012345",
                   responsibility="full", violations=(rear_end,)),
        PartyBlock(label="乙", name="李秀英", id_number="510104199011052328", phone="13908067890",
                   mode_of_travel="驾驶小型轿车", vehicle_type="小型轿车", plate="川A·D35812",
                   insurer="中国平安财产保险股份有限公司四川分公司", policy_number="ASCD0120260000067890",
                   responsibility="none"),
    )
    number = "预览" if preview else "KC2026-000123"
    return LiabilityDocument(
        number=number, issuing_unit="成都市公安局交通管理局",
        accident_at=datetime(2026, 12, 2, 9, 41), weather="晴",
        place="成都市武侯区天府大道北段与锦城大道交叉口北侧约50米（东经104.0686°，北纬30.5923°）",
        parties=parties, facts=FACTS, officer_name="张志强", officer_badge="028461",
        issued_at=datetime(2026, 12, 2, 10, 7), verify_url="https://kuaichu.example.cn/v/KC2026-000123",
        preview=preview, case_number="KC-20261202-0042")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, help="also keep the PDF here")
    parser.add_argument("--preview", action="store_true", help="draw the preview (预览) instead")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: apt-get install -y poppler-utils")
    pdf = render_liability_document(sample_document(args.preview))
    if args.pdf:
        args.pdf.write_bytes(pdf)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work, "document.pdf")
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(Path(work, "page"))], check=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(work, "page.png"), args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) from a {len(pdf) // 1024} KB PDF")


if __name__ == "__main__":
    main()
