"""The 道路交通事故认定书（简易程序） as a PDF, drawn with reportlab from a :class:`LiabilityDocument`.

One renderer for the preview and the issued document. The layout follows the form as
real police systems print it (``../shared/LIABILITY-FACTS.md``): heading, time and
weather, place, one block per party, the box 交通事故事实及责任 with the officer and the
seal, the box 损害赔偿调解结果, the review notice. The QR code points at the public
verification page.

Everything is vector: the text is WenQuanYi Micro Hei, embedded as a subset (reportlab's
CID fonts are not embedded, and "·" in plates would be a box); the seal and the QR code
are drawn with lines and paths, never a bitmap. ``invariant=1`` makes the bytes depend on
the document alone, so the same document gives the same PDF.
"""
from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib import textsplit
from reportlab.platypus import Flowable, paragraph, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kuaichu_protocol.liability import RESPONSIBILITY_ZH, Responsibility
from server import resource_files
from server.domain.liability_document import (
    REVIEW_NOTICE,
    SEAL_TEXT,
    TITLE,
    LiabilityDocument,
    PartyBlock,
)

FONT_NAME = "WenQuanYiMicroHei"
PLATE_DOT = "·"  # U+00B7, as plates are written (桂B·12345)
PLATE_DOT_FALLBACKS = ("・", "•", ".")  # katakana middle dot, bullet, full stop

SEAL_RED = colors.Color(0.84, 0.08, 0.10)
INK = colors.Color(0.08, 0.08, 0.10)
RULE = colors.Color(0.15, 0.15, 0.18)
PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
#: Columns of the form: party label | label | value | label | value | label | value.
COLS = [9 * mm, 18 * mm, 38 * mm, 30.5 * mm, 37 * mm, 15 * mm]
COLS.append(CONTENT_W - sum(COLS))
SEAL_RADIUS = 19.5 * mm
QR_SIZE = 25 * mm

_font_lock = threading.Lock()
#: Chinese punctuation that may not start a line. reportlab's list (textsplit) has 。、）
#: but not the full-width comma, semicolon, colon, ! and ?, nor closing quotes and 》, so
#: a line of facts could start with "，". A character in this list hangs at the line's end.
_CANNOT_START = "，；：！？》」』”’"
for _module in (textsplit, paragraph):  # a one-style paragraph wraps in textsplit, a mixed one in paragraph
    _module.ALL_CANNOT_START += "".join(c for c in _CANNOT_START if c not in _module.ALL_CANNOT_START)
#: reportlab's TrueType face is shared by every document and is not thread-safe: subsetting
#: it from two threads at once reads glyphs out of each other's place (IndexError, or a
#: wrong glyph). The server renders from a thread pool, so one render at a time.
_render_lock = threading.Lock()


def register_font() -> TTFont:
    """The document font, registered with reportlab once per process (any thread may ask)."""
    with _font_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            path = resource_files.font("wqy-microhei.ttc")
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        return pdfmetrics.getFont(FONT_NAME)


def has_glyph(font: TTFont, char: str) -> bool:
    return ord(char) in font.face.charToGlyph


def plate_text(plate: str, glyph: Callable[[str], bool]) -> str:
    """The plate as it can be printed: "·" kept when the font draws it, else the first
    look-alike it draws, so a plate never shows a missing-glyph box."""
    if PLATE_DOT not in plate or glyph(PLATE_DOT):
        return plate
    for substitute in PLATE_DOT_FALLBACKS:
        if glyph(substitute):
            return plate.replace(PLATE_DOT, substitute)
    return plate.replace(PLATE_DOT, " ")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT_NAME, fontSize=9.5, leading=13.5, textColor=INK,
                          wordWrap="CJK")
    return {
        "unit": ParagraphStyle("unit", base, fontSize=15, leading=20, alignment=TA_CENTER),
        "title": ParagraphStyle("title", base, fontSize=19, leading=26, alignment=TA_CENTER),
        "number": ParagraphStyle("number", base, fontSize=11, leading=15, alignment=TA_RIGHT),
        "label": ParagraphStyle("label", base, fontSize=8.5, alignment=TA_CENTER),
        "party": ParagraphStyle("party", base, fontSize=12, leading=15, alignment=TA_CENTER),
        "value": base,
        "box": ParagraphStyle("box", base, fontSize=11, leading=15),
        "text": ParagraphStyle("text", base, fontSize=10.5, leading=16.5, alignment=TA_JUSTIFY,
                               firstLineIndent=21),
        "notice": ParagraphStyle("notice", base, fontSize=9.5, leading=14, alignment=TA_JUSTIFY,
                                 firstLineIndent=19),
        "small": ParagraphStyle("small", base, fontSize=7, leading=9, textColor=colors.Color(.3, .3, .33)),
        "qr": ParagraphStyle("qr", base, fontSize=6.5, leading=8, alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _long_date(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _long_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{_long_date(moment)}{moment.hour}时{moment.minute:02d}分"


def responsibility_sentence(party: PartyBlock) -> str:
    """"甲方张三…，违反《…》第…条的规定，承担此事故的全部责任。" for one party."""
    who = f"{party.label}方{party.name}"
    grade = RESPONSIBILITY_ZH[Responsibility(party.responsibility)]
    if not party.violations:
        return f"{who}无导致此事故的违法行为，{grade}。"
    acts = "；".join(f"{v.behaviour}，违反{v.article}的规定" for v in party.violations)
    return f"{who}{acts}，承担此事故的{grade}。"


class SignatureBlock(Flowable):
    """交通警察 and 警号, then the date under the unit's seal, at the right of the box, as
    an officer signs and stamps the paper form. The seal stays inside the box."""

    def __init__(self, doc: LiabilityDocument, width: float) -> None:
        super().__init__()
        self.doc = doc
        self.width = width
        self.height = SEAL_RADIUS * 2 - 3 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = 10.5
        date = _long_date(self.doc.issued_at)
        seal_x = self.width - 12 * mm - SEAL_RADIUS
        seal_y = SEAL_RADIUS + 1 * mm
        officer = f"交通警察：{self.doc.officer_name}　　警号：{self.doc.officer_badge}"
        canvas.setFillColor(INK)
        canvas.setFont(FONT_NAME, size)
        canvas.drawRightString(seal_x - SEAL_RADIUS - 3 * mm, seal_y + 2 * mm, officer)
        canvas.drawCentredString(seal_x, seal_y - 2 * mm - size / 2, date)
        draw_seal(canvas, seal_x, seal_y, SEAL_RADIUS, self.doc.issuing_unit)


def draw_seal(canvas: Canvas, cx: float, cy: float, radius: float, unit: str) -> None:
    """The unit's seal as vector paths: a red ring, the unit name along the upper arc, a
    five-pointed star, and 道路交通事故处理专用章 across the bottom. Drawn, not a real seal."""
    canvas.saveState()
    # Marked as a figure with no text, so that copying, searching and pdftotext read the
    # document's words and not the ring's letters threaded through the lines it overlaps.
    canvas.addLiteral("/Span <</ActualText ()>> BDC")
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setFillAlpha(0.88)
    canvas.setStrokeAlpha(0.88)
    canvas.setLineWidth(radius * 0.06)
    canvas.circle(cx, cy, radius - radius * 0.03, stroke=1, fill=0)
    _seal_arc_text(canvas, cx, cy, radius, unit)
    _star(canvas, cx, cy + radius * 0.02, radius * 0.25)
    size = radius * 0.15
    text = canvas.beginText()
    text.setFont(FONT_NAME, size)
    scale = 82
    width = pdfmetrics.stringWidth(SEAL_TEXT, FONT_NAME, size) * scale / 100
    text.setHorizScale(scale)
    text.setTextOrigin(cx - width / 2, cy - radius * 0.60)
    text.textOut(SEAL_TEXT)
    canvas.drawText(text)
    canvas.addLiteral("EMC")
    canvas.restoreState()


SEAL_ARC_MAX = math.radians(220)  # the ring text stays clear of the bottom line
SEAL_ARC_MIN = math.radians(170)


def seal_ring_layout(radius: float, count: int) -> tuple[float, float, float, float]:
    """How ``count`` characters sit on the seal's upper arc: (font size, horizontal
    scale, baseline radius, arc in radians). A long unit name gets narrower characters
    first, as seal engravers condense them, then smaller ones; they never overlap."""
    def baseline(size: float) -> float:
        return radius * 0.86 - size * 0.9

    def room(size: float) -> float:  # the advance each character may take
        return baseline(size) * SEAL_ARC_MAX / max(count, 1)

    size = radius * 0.23
    if room(size) < size * 1.08:
        size = max(radius * 0.19, room(size) / 1.08)
    scale = min(1.0, room(size) / (size * 1.08))
    if scale < 0.7:
        size = max(radius * 0.12, room(size) / (0.7 * 1.08))
        scale = min(1.0, room(size) / (size * 1.08))
    natural = count * size * scale * 1.08 / baseline(size)
    arc = min(SEAL_ARC_MAX, max(SEAL_ARC_MIN, natural * 1.1)) if count > 1 else 0.0
    return size, scale, baseline(size), arc


def _seal_arc_text(canvas: Canvas, cx: float, cy: float, radius: float, unit: str) -> None:
    size, scale, text_radius, arc = seal_ring_layout(radius, len(unit))
    step = arc / max(len(unit) - 1, 1)
    for index, char in enumerate(unit):
        angle = math.pi / 2 + arc / 2 - index * step
        canvas.saveState()
        canvas.translate(cx + text_radius * math.cos(angle), cy + text_radius * math.sin(angle))
        canvas.rotate(math.degrees(angle - math.pi / 2))
        canvas.scale(scale, 1)
        canvas.setFont(FONT_NAME, size)
        canvas.drawCentredString(0, 0, char)
        canvas.restoreState()


def _star(canvas: Canvas, cx: float, cy: float, outer: float) -> None:
    inner = outer * 0.382
    path = canvas.beginPath()
    for point in range(10):
        r = outer if point % 2 == 0 else inner
        angle = math.pi / 2 + point * math.pi / 5
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(x, y) if point == 0 else path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def qr_code(url: str, size: float) -> QrCode:
    """The verification URL as a vector QR code, ``size`` points square (quiet zone included).

    The flowable draws its modules straight onto the canvas; a graphics ``Drawing`` would
    also select Helvetica, a font that is never embedded."""
    return QrCode(url, width=size, height=size, qrLevel="M", qrBorder=2)


def _heading(doc: LiabilityDocument, st: dict[str, ParagraphStyle]) -> Table:
    side = 32 * mm
    qr = Table([[qr_code(doc.verify_url, QR_SIZE)], [_p("扫码核验", st["qr"])]],
               colWidths=[side], style=[("FONT", (0, 0), (-1, -1), FONT_NAME, 9),
                                        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    number = "预览（未编号）" if doc.preview else f"第 {doc.number} 号"
    middle = [_p(doc.issuing_unit, st["unit"]), Spacer(1, 2 * mm), _p(TITLE, st["title"])]
    table = Table([["", middle, qr], ["", "", ""], ["", _p(number, st["number"]), ""]],
                  colWidths=[side, CONTENT_W - 2 * side, side])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 9),  # the default, Helvetica, is never embedded
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (2, 0), (2, 1)),
        ("ALIGN", (2, 0), (2, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 2), (-1, 2), 3 * mm),
    ]))
    return table


def _party_rows(party: PartyBlock, font: TTFont, st: dict[str, ParagraphStyle]) -> list[list]:
    value, label = st["value"], st["label"]
    plate = plate_text(party.plate, lambda char: has_glyph(font, char))
    return [
        [_p(party.label, st["party"]), _p("当事人", label), _p(party.name, value),
         _p("驾驶证或身份证号码", label), _p(party.id_number, value), _p("联系电话", label),
         _p(party.phone, value)],
        ["", _p("交通方式", label), _p(party.mode_of_travel, value), _p("机动车型号、牌号", label),
         _p("　".join(x for x in (party.vehicle_type, plate) if x), value), "", ""],
        ["", _p("保险公司", label), _p(party.insurer, value), _p("保险凭证号", label),
         _p(party.policy_number, value), "", ""],
    ]


_CELL_PADDING = [
    ("FONT", (0, 0), (-1, -1), FONT_NAME, 9.5),  # the default, Helvetica, is never embedded
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


def _particulars(doc: LiabilityDocument, font: TTFont, st: dict[str, ParagraphStyle]) -> Table:
    """The top of the form, a grid: time and weather, place, then three rows per party."""
    rows: list[list] = [
        [_p("事故时间", st["label"]), "", _p(_long_time(doc.accident_at), st["value"]), "", "",
         _p("天气", st["label"]), _p(doc.weather, st["value"])],
        [_p("事故地点", st["label"]), "", _p(doc.place, st["value"]), "", "", "", ""],
    ]
    style: list[tuple] = [
        ("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (4, 0)),
        ("SPAN", (0, 1), (1, 1)), ("SPAN", (2, 1), (6, 1)),
    ]
    for party in doc.parties:
        top = len(rows)
        rows.extend(_party_rows(party, font, st))
        style += [("SPAN", (0, top), (0, top + 2)),
                  ("SPAN", (4, top + 1), (6, top + 1)), ("SPAN", (4, top + 2), (6, top + 2))]
    table = Table(rows, colWidths=COLS)
    table.setStyle(TableStyle([
        *_CELL_PADDING,
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (0, 0), (-1, -1), 1.1, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.6),
        *style,
    ]))
    return table


def _boxes(doc: LiabilityDocument, st: dict[str, ParagraphStyle]) -> Table:
    """The boxes 交通事故事实及责任 (with the officer and the seal) and 损害赔偿调解结果, and
    the notice: one column, one row per paragraph, so a long account flows onto the next
    page between paragraphs, or inside a long one."""
    rows: list[list] = [[_p("交通事故事实及责任：", st["box"])]]
    rows += [[_p(text, st["text"])] for text in _paragraphs(doc.facts)]
    rows += [[_p(responsibility_sentence(party), st["text"])] for party in doc.parties]
    rows.append([SignatureBlock(doc, CONTENT_W - 8)])
    signature = len(rows) - 1
    rows.append([_p("损害赔偿调解结果：", st["box"])])
    rows.append([_p(doc.mediation, st["text"])])
    notice = len(rows)
    rows.append([_p(REVIEW_NOTICE, st["notice"])])
    table = Table(rows, colWidths=[CONTENT_W], splitByRow=1, splitInRow=1)
    table.setStyle(TableStyle([
        *_CELL_PADDING,
        ("BOX", (0, 0), (-1, -1), 1.1, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
        ("TOPPADDING", (0, 0), (0, 0), 4.5),
        ("LINEABOVE", (0, signature + 1), (0, signature + 1), 0.8, RULE),
        ("TOPPADDING", (0, signature + 1), (0, signature + 1), 4.5),
        ("BOTTOMPADDING", (0, notice - 1), (0, notice - 1), 6),
        ("LINEABOVE", (0, notice), (0, notice), 0.8, RULE),
        ("TOPPADDING", (0, notice), (0, notice), 5),
        ("BOTTOMPADDING", (0, notice), (0, notice), 6),
    ]))
    return table


def _paragraphs(text: str) -> Iterable[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or [""]


class _Pages:
    """Footer and watermark for each page: 第 n 页 共 m 页 needs the page count, so the
    canvas keeps the pages and draws the footers when the document is saved."""

    def __init__(self, doc: LiabilityDocument) -> None:
        self.doc = doc

    def canvas_maker(self, *args, **kwargs) -> Canvas:
        doc = self.doc

        class PagedCanvas(Canvas):
            def __init__(self, *a, **k) -> None:
                super().__init__(*a, **k)
                self._pages: list[dict] = []

            def showPage(self) -> None:  # noqa: N802 - reportlab's name
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._pages)
                for page in self._pages:
                    self.__dict__.update(page)
                    _decorate(self, doc, self._pageNumber, total)
                    Canvas.showPage(self)
                Canvas.save(self)

        return PagedCanvas(*args, **kwargs)


def _decorate(canvas: Canvas, doc: LiabilityDocument, page: int, total: int) -> None:
    canvas.saveState()
    canvas.setFont(FONT_NAME, 7.5)
    canvas.setFillColor(colors.Color(.35, .35, .38))
    number = "预览" if doc.preview else doc.number
    canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 7 * mm, f"{TITLE}　{number}　核验：{doc.verify_url}")
    canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 7 * mm, f"第 {page} 页　共 {total} 页")
    if doc.preview:
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1))
        canvas.setFillAlpha(0.15)
        canvas.setFont(FONT_NAME, 180)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -50, "预览")
    canvas.restoreState()


def render_liability_document(doc: LiabilityDocument) -> bytes:
    """The PDF of ``doc``: A4, every font embedded, the same bytes for the same document."""
    font = register_font()
    st = _styles()
    buffer = io.BytesIO()
    title = f"{TITLE} {'预览' if doc.preview else doc.number}"
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author=doc.issuing_unit, subject=doc.case_number or TITLE,
        creator="Kuaichu", producer="Kuaichu (reportlab)", invariant=1, lang="zh-CN",
        initialFontName=FONT_NAME)  # else each page starts in Helvetica, which is never embedded
    story = [_heading(doc, st), _particulars(doc, font, st), _boxes(doc, st)]
    with _render_lock:
        template.build(story, canvasmaker=_Pages(doc).canvas_maker)
    return buffer.getvalue()
