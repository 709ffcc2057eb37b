"""The liability document PDF, read back with the tools a reader's machine has: poppler
(pdftotext, pdffonts, pdfinfo, pdfimages, pdftoppm) and zbarimg for the QR code.

scripts/install.sh installs poppler-utils and zbar-tools; without them these tests fail
with the missing tool's name rather than pass unseen.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kuaichu_protocol.liability import RESPONSIBILITY_ZH, Responsibility
from server.adapters import liability_pdf
from server.adapters.liability_pdf import plate_text, render_liability_document, responsibility_sentence
from server.domain.liability_document import (
    NOT_MEDIATED,
    REVIEW_NOTICE,
    SEAL_TEXT,
    TITLE,
    LiabilityDocument,
    PartyBlock,
    ViolationLine,
)

REAR_END = ViolationLine("LAW43", "驾驶机动车未与前车保持足以采取紧急制动措施的安全距离",
                         "《中华人民共和国道路交通安全法》第四十三条")
LANE = ViolationLine("LAW35", "未按照交通信号指示的车道行驶", "《中华人民共和国道路交通安全法》第三十五条")
TURN = ViolationLine("REG51", "转弯的机动车未让直行的车辆先行",
                     "《中华人民共和国道路交通安全法实施条例》第五十一条第（七）项")
URL = "https://kuaichu.example.cn/v/KC2026-000042"


def party(label: str, name: str, plate: str, responsibility: str,
          violations: tuple[ViolationLine, ...] = ()) -> PartyBlock:
    return PartyBlock(label=label, name=name, id_number="510107198503124613", phone="13880012345",
                      mode_of_travel="驾驶小型轿车", vehicle_type="小型轿车", plate=plate,
                      insurer="中国人民财产保险股份有限公司成都市分公司", policy_number="PDZA2026510100001",
                      responsibility=responsibility, violations=violations)


def document(**changes) -> LiabilityDocument:
    doc = LiabilityDocument(
        number="KC2026-000042", issuing_unit="成都市公安局交通管理局",
        accident_at=datetime(2026, 12, 2, 9, 41), weather="雨",
        place="成都市武侯区天府大道北段与锦城大道交叉口",
        parties=(party("甲", "王建国", "川A·5F7K2", "major", (REAR_END, LANE)),
                 party("乙", "李秀英", "川A·D35812", "minor", (TURN,))),
        facts="2026年12月2日9时41分许，王建国驾驶川A·5F7K2号小型轿车与李秀英驾驶的川A·D35812号小型轿车相撞。",
        officer_name="张志强", officer_badge="028461", issued_at=datetime(2026, 12, 2, 10, 7),
        verify_url=URL, case_number="KC-20261202-0042")
    return replace(doc, **changes)


def three_parties() -> LiabilityDocument:
    return document(parties=(
        party("甲", "王建国", "川A·5F7K2", "equal", (REAR_END,)),
        party("乙", "李秀英", "川A·D35812", "equal", (LANE,)),
        party("丙", "赵丽华", "川A·3Q861", "equal", (TURN,)),
    ))


def long_facts() -> LiabilityDocument:
    sentence = ("王建国驾驶川A·5F7K2号小型轿车沿天府大道北段由北向南行驶，行至交叉口时未与前车保持安全距离，"
                "与前方减速停车的川A·D35812号小型轿车尾部相撞，两车受损，无人员受伤。")
    paragraphs = "\n".join(f"（{n}）{sentence * 3}" for n in range(1, 9))
    return document(facts=paragraphs + "\n事故经过以上述为准。这是最后一句。")


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: scripts/install.sh installs it (apt-get install -y poppler-utils zbar-tools)"
    return path


def run(*args: str | Path) -> str:
    return subprocess.run([tool(str(args[0])), *map(str, args[1:])], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def write(tmp_path: Path):
    def write_pdf(doc: LiabilityDocument, name: str = "doc.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(render_liability_document(doc))
        return path
    return write_pdf


def text_of(pdf: Path) -> str:
    """The text with all white space removed: lines wrap wherever the column ends."""
    return re.sub(r"\s+", "", run("pdftotext", "-enc", "UTF-8", pdf, "-"))


def pages_of(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))


def test_the_text_reads_back(write) -> None:
    doc = document()
    text = text_of(write(doc))
    for expected in (doc.issuing_unit, TITLE, "第KC2026-000042号", "王建国", "李秀英", "川A·5F7K2",
                     "川A·D35812", "2026年12月2日9时41分", "雨", doc.place, "交通警察：张志强",
                     "警号：028461", "2026年12月2日", NOT_MEDIATED, "损害赔偿调解结果", "交通事故事实及责任",
                     REVIEW_NOTICE, doc.parties[0].insurer, doc.parties[0].id_number, URL):
        assert re.sub(r"\s+", "", expected) in text, expected
    for violation in (REAR_END, LANE, TURN):
        assert violation.article in text
        assert violation.behaviour in text
    assert "承担此事故的主要责任" in text and "承担此事故的次要责任" in text
    assert "预览" not in text
    assert SEAL_TEXT not in text  # the seal is a figure: its ring does not thread through the text


@pytest.mark.parametrize("grade", list(Responsibility))
def test_each_responsibility_is_printed_in_chinese(write, grade: Responsibility) -> None:
    violations = () if grade is Responsibility.NONE else (REAR_END,)
    doc = document(parties=(party("甲", "王建国", "川A·5F7K2", grade.value, violations),))
    text = text_of(write(doc))
    assert RESPONSIBILITY_ZH[grade] in text
    assert responsibility_sentence(doc.parties[0]) in text


def test_the_sentence_names_the_party_the_act_and_the_article() -> None:
    sentence = responsibility_sentence(party("甲", "王建国", "川A·5F7K2", "full", (REAR_END, LANE)))
    assert sentence == ("甲方王建国驾驶机动车未与前车保持足以采取紧急制动措施的安全距离，"
                        "违反《中华人民共和国道路交通安全法》第四十三条的规定；未按照交通信号指示的车道行驶，"
                        "违反《中华人民共和国道路交通安全法》第三十五条的规定，承担此事故的全部责任。")
    assert responsibility_sentence(party("乙", "李秀英", "川A·D35812", "none")) == "乙方李秀英无导致此事故的违法行为，无责任。"


def test_every_font_is_embedded(write) -> None:
    rows = run("pdffonts", write(document(preview=True))).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", f"{name} is not embedded"
        assert "WenQuanYi" in name


def test_the_seal_and_the_qr_code_are_vector_graphics(write) -> None:
    images = run("pdfimages", "-list", write(document())).splitlines()[2:]
    assert images == []


def test_the_page_renders_with_the_red_seal(write, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "40", "-singlefile", write(document()), tmp_path / "page")
    page = Image.open(tmp_path / "page.png").convert("RGB")
    assert page.size == (331, 468)  # A4 at 40 dpi
    red = sum(1 for r, g, b in page.get_flattened_data() if r > 180 and g < 90 and b < 90)
    assert red > 200, "the seal is missing"


def test_the_qr_code_decodes_to_the_verification_url(write, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", write(document()), tmp_path / "page")
    decoded = run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", tmp_path / "page.png")
    assert decoded.strip() == URL


def test_three_parties_fit_on_one_page(write) -> None:
    doc = three_parties()
    pdf = write(doc)
    text = text_of(pdf)
    assert pages_of(pdf) == 1
    for block in doc.parties:
        assert block.name in text and block.plate in text
        assert responsibility_sentence(block) in text
    assert text.count("同等责任") == 3
    assert REVIEW_NOTICE in text


def test_long_facts_flow_onto_a_second_page(write) -> None:
    pdf = write(long_facts())
    assert pages_of(pdf) == 2
    first = re.sub(r"\s+", "", run("pdftotext", "-f", "1", "-l", "1", pdf, "-"))
    second = re.sub(r"\s+", "", run("pdftotext", "-f", "2", "-l", "2", pdf, "-"))
    assert "（1）" in first
    assert "这是最后一句。" in second and REVIEW_NOTICE in second
    assert "第1页共2页" in first and "第2页共2页" in second


def test_no_line_starts_with_a_comma_or_a_full_stop(write) -> None:
    lines = run("pdftotext", "-enc", "UTF-8", write(long_facts()), "-").splitlines()
    assert len(lines) > 60
    starts = [line for line in lines if line.strip()[:1] in tuple("，。、；：！？）》")]
    assert starts == []


def test_a_preview_carries_the_watermark_on_every_page(write) -> None:
    pdf = write(replace(long_facts(), number="预览", preview=True))
    for page in (1, 2):
        text = re.sub(r"\s+", "", run("pdftotext", "-f", str(page), "-l", str(page), pdf, "-"))
        assert "预览" in text
    assert "第预览号" not in text_of(pdf)


def test_the_same_document_gives_the_same_bytes() -> None:
    assert render_liability_document(document()) == render_liability_document(document())
    assert render_liability_document(document()) != render_liability_document(document(officer_badge="028462"))


def test_threads_rendering_at_once_get_the_same_bytes() -> None:
    """The server renders from a thread pool, and reportlab's shared font face is not
    thread-safe: unserialised, about one render in 40 here raised IndexError while subsetting.
    Switching threads often makes the overlap likelier."""
    expected = render_liability_document(document())
    results: list[bytes] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def render() -> None:
        barrier.wait()
        for _ in range(6):
            try:
                results.append(render_liability_document(document()))
            except Exception as error:  # noqa: BLE001 - the test reports it below
                errors.append(error)

    threads = [threading.Thread(target=render) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert results == [expected] * 24


def test_the_metadata_names_the_document_and_the_unit(write) -> None:
    info = run("pdfinfo", write(document()))
    assert re.search(r"^Title:\s+道路交通事故认定书（简易程序） KC2026-000042$", info, re.M)
    assert re.search(r"^Author:\s+成都市公安局交通管理局$", info, re.M)
    assert re.search(r"^Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info, re.M)


def test_markup_in_the_data_is_printed_as_text(write) -> None:
    doc = document(facts="甲车<b>未</b>减速 & 乙车停车", parties=(
        party("甲", "王<建国>", "川A·5F7K2", "full", (REAR_END,)), party("乙", "李&秀英", "川A·D35812", "none")))
    text = text_of(write(doc))
    assert "甲车<b>未</b>减速&乙车停车" in text
    assert "王<建国>" in text and "李&秀英" in text


def test_the_font_draws_the_plate_dot_and_the_seal_text() -> None:
    font = liability_pdf.register_font()
    for char in "·" + SEAL_TEXT + "甲乙丙丁":
        assert liability_pdf.has_glyph(font, char), char


def test_a_font_without_the_plate_dot_gets_a_look_alike() -> None:
    assert plate_text("川A·5F7K2", lambda char: True) == "川A·5F7K2"
    assert plate_text("川A·5F7K2", lambda char: char != "·") == "川A・5F7K2"
    assert plate_text("川A·5F7K2", lambda char: char not in "·・") == "川A•5F7K2"
    assert plate_text("川A·5F7K2", lambda char: char == ".") == "川A.5F7K2"
    assert plate_text("川A·5F7K2", lambda char: False) == "川A 5F7K2"
    assert plate_text("川A5F7K2", lambda char: False) == "川A5F7K2"


def test_an_unknown_accident_time_and_weather_leave_the_cells_empty(write) -> None:
    text = text_of(write(document(accident_at=None, weather="", facts="两车相撞。")))
    assert "事故时间" in text and "天气" in text
    assert "None" not in text and "9时41分" not in text


@pytest.mark.parametrize("count", [1, 4, 10, 12, 15, 23, 30])
def test_the_seal_ring_text_never_overlaps_nor_reaches_the_bottom(count: int) -> None:
    radius = liability_pdf.SEAL_RADIUS
    size, scale, baseline, arc = liability_pdf.seal_ring_layout(radius, count)
    assert arc <= liability_pdf.SEAL_ARC_MAX
    if count > 1:
        assert baseline * arc / (count - 1) >= size * scale  # each character's share of the arc
    assert baseline + size < radius * 0.95  # inside the ring
    assert size >= radius * 0.12
