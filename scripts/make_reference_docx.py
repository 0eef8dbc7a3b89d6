"""Write layouts/docx/reference.docx, the style sheet of every DOCX output (pandoc --reference-doc).

Usage: python scripts/make_reference_docx.py [--check]

Starts from pandoc's own default reference.docx (so every style pandoc uses exists) and changes
it: A4 with 20 mm margins, a page-number footer, Japanese fonts, a bordered default table style,
and the paragraph styles that ``pia_build.render.docx`` names through ``custom-style``. The output
is deterministic: the same pandoc gives the same bytes (fixed zip dates, fixed entry order).
``--check`` exits 1 when the committed file differs from what the script would write.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

from pia_build.render.pandoc import default_data_file

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "layouts" / "docx" / "reference.docx"
FONT = "Noto Sans CJK JP"
"""Used for every script; Word substitutes the fallbacks named in the font table."""
FALLBACKS = (("游ゴシック", "Yu Gothic"), ("ＭＳ ゴシック", "MS Gothic"))
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FOOTER_ID = "rIdPiaFooter"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

SECTION = (
    f'<w:sectPr><w:footerReference w:type="default" r:id="{FOOTER_ID}"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567"'
    ' w:footer="567" w:gutter="0"/><w:cols w:space="425"/></w:sectPr>'
)
"""A4 portrait, 20 mm margins; no document grid (Noto CJK would snap every line to two)."""

FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}><w:p><w:pPr>'
    '<w:pStyle w:val="Footer"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
    "</w:fldSimple></w:p></w:ftr>"
)

BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
TABLE_STYLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
    '<w:uiPriority w:val="59"/><w:qFormat/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    + "".join(BORDER.format(side) for side in ("top", "left", "bottom", "right"))
    + "".join(BORDER.format(side) for side in ("insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr>'
    '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/></w:tcPr></w:tblStylePr></w:style>'
)
"""Thin black borders on every cell; a shaded, bold header row for data tables."""

BOX = (
    "<w:pBdr>"
    + "".join(
        BORDER.replace("000000", "B00000").format(s) for s in ("top", "left", "bottom", "right")
    )
    + "</w:pBdr>"
)

# (style id, printed name, based on, pPr children, rPr children); ids drop the names' spaces,
# as pandoc does when it maps ``custom-style`` names. Child order follows the OOXML schema.
PARAGRAPHS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Normal", "Normal", "", '<w:snapToGrid w:val="0"/>', ""),
    ("BodyText", "Body Text", "Normal", '<w:spacing w:before="0" w:after="60"/>', ""),
    ("FirstParagraph", "First Paragraph", "BodyText", "", ""),
    ("Compact", "Compact", "BodyText", '<w:spacing w:before="0" w:after="0"/>', ""),
    (
        "Title",
        "Title",
        "Normal",
        '<w:spacing w:before="600" w:after="480"/><w:jc w:val="center"/>',
        '<w:b/><w:sz w:val="32"/><w:szCs w:val="32"/>',
    ),
    (
        "Heading1",
        "heading 1",
        "Normal",
        '<w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:pBdr><w:bottom w:val="single" w:sz="12"'
        ' w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="160"/>'
        '<w:outlineLvl w:val="0"/>',
        '<w:b/><w:color w:val="000000"/><w:sz w:val="26"/>',
    ),
    (
        "Heading2",
        "heading 2",
        "Normal",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="1"/>',
        '<w:b/><w:color w:val="000000"/><w:sz w:val="24"/>',
    ),
    (
        "Heading3",
        "heading 3",
        "Normal",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/>',
        '<w:b/><w:color w:val="000000"/><w:sz w:val="22"/>',
    ),
    ("Footer", "footer", "Normal", '<w:jc w:val="center"/>', '<w:sz w:val="18"/>'),
    ("Label1", "Label 1", "Normal", "", ""),
    ("Label2", "Label 2", "Label1", '<w:ind w:left="170"/>', ""),
    ("Label3", "Label 3", "Label1", '<w:ind w:left="340"/>', ""),
    ("Label4", "Label 4", "Label1", '<w:ind w:left="510"/>', ""),
    ("SectionRow", "Section Row", "Normal", "<w:keepNext/>", "<w:b/>"),
    ("GroupRow", "Group Row", "Normal", "<w:keepNext/>", "<w:b/>"),
    ("Value", "Value", "Normal", '<w:spacing w:before="0" w:after="40"/>', ""),
    ("ChoiceSelected", "Choice Selected", "Value", "", "<w:b/>"),
    ("ChoiceOptions", "Choice Options", "Value", '<w:jc w:val="right"/>', '<w:sz w:val="18"/>'),
    ("Check", "Check", "Value", '<w:spacing w:before="0" w:after="0"/>', ""),
    ("CheckGroup", "Check Group", "Check", "<w:keepNext/>", "<w:b/>"),
    (
        "ClauseMark",
        "Clause Mark",
        "Value",
        '<w:keepNext/><w:spacing w:before="60" w:after="0"/>',
        '<w:color w:val="3B5B80"/><w:sz w:val="14"/>',
    ),
    (
        "DraftMark",
        "Draft Mark",
        "Normal",
        f'{BOX}<w:ind w:left="8600"/><w:jc w:val="center"/>',
        '<w:b/><w:color w:val="B00000"/><w:sz w:val="32"/>',
    ),
    ("Marker", "Marker", "Normal", '<w:spacing w:before="120"/><w:jc w:val="right"/>', ""),
    ("TOCEntry", "TOC Entry", "Normal", '<w:spacing w:before="0" w:after="80"/>', ""),
)
BUILT_IN = {"Normal", "BodyText", "Title", "Heading1", "Heading2", "Heading3", "Footer"}
"""Word's own styles; every other style is marked custom."""


def paragraph_style(style_id: str, name: str, based: str, ppr: str, rpr: str) -> str:
    """Return one paragraph style element."""
    default = ' w:default="1"' if style_id == "Normal" else ""
    custom = ' w:customStyle="1"' if style_id not in BUILT_IN else ""
    return (
        f'<w:style w:type="paragraph"{default}{custom} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + "<w:qFormat/>"
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def doc_defaults() -> str:
    """Return the document defaults: the Japanese font everywhere, 10.5 pt, single spacing."""
    fonts = f'w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"'
    return (
        f"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts {fonts}/>"
        '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="ja-JP" w:eastAsia="ja-JP"'
        ' w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )


def styles(xml: str) -> str:
    """Return styles.xml with our defaults and styles in place of pandoc's."""
    xml = re.sub(r"<w:docDefaults>.*?</w:docDefaults>", doc_defaults(), xml, flags=re.S)
    # Theme fonts would override the explicit Japanese font in headings and titles.
    xml = re.sub(r'\s+w:(?:asciiTheme|eastAsiaTheme|hAnsiTheme|cstheme)="[^"]*"', "", xml)
    for style_id in [p[0] for p in PARAGRAPHS] + ["Table"]:
        xml = re.sub(
            rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>\s*', "", xml, flags=re.S
        )
    ours = "".join(paragraph_style(*p) for p in PARAGRAPHS) + TABLE_STYLE
    return xml.replace("</w:styles>", ours + "</w:styles>")


def document(xml: str) -> str:
    """Return document.xml with pandoc's sample text dropped and our page set-up."""
    return re.sub(r"<w:body>.*</w:body>", f"<w:body>{SECTION}</w:body>", xml, flags=re.S)


def font_table(xml: str) -> str:
    """Return fontTable.xml declaring the Japanese font and the fonts Word may use instead."""
    entry = (
        '<w:font w:name="{0}"><w:altName w:val="{1}"/><w:charset w:val="80"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    fonts = [(FONT, FALLBACKS[0][0])] + list(FALLBACKS)
    return xml.replace("</w:fonts>", "".join(entry.format(*f) for f in fonts) + "</w:fonts>")


def settings(xml: str) -> str:
    """Return settings.xml with Japanese as the East Asian language."""
    xml = xml.replace(
        '<w:themeFontLang w:val="en-US" />', '<w:themeFontLang w:val="en-US" w:eastAsia="ja-JP" />'
    )
    return xml.replace(
        '<w:characterSpacingControl w:val="doNotCompress" />',
        '<w:characterSpacingControl w:val="compressPunctuation" />',
    )


def add_footer(parts: dict[str, bytes]) -> None:
    """Add the page-number footer part, its relationship and its content type."""
    rels, types = "word/_rels/document.xml.rels", "[Content_Types].xml"
    rel = (
        f'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'footer" Id="{FOOTER_ID}" Target="footer1.xml" />'
    )
    override = (
        '<Override PartName="/word/footer1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
    )
    parts[rels] = parts[rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    parts[types] = parts[types].replace(b"</Types>", override.encode() + b"</Types>")
    parts["word/footer1.xml"] = FOOTER.encode("utf-8")


def build_reference() -> bytes:
    """Return the reference.docx bytes."""
    with zipfile.ZipFile(io.BytesIO(default_data_file("reference.docx"))) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    edits = {
        "word/styles.xml": styles,
        "word/document.xml": document,
        "word/fontTable.xml": font_table,
        "word/settings.xml": settings,
    }
    for name, edit in edits.items():
        parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    add_footer(parts)
    return write_zip(parts)


def write_zip(parts: dict[str, bytes]) -> bytes:
    """Return a zip of ``parts`` in their order, with fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine writes it
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    data = build_reference()
    if args.check:
        same = OUT.is_file() and OUT.read_bytes() == data
        print(f"{OUT.relative_to(REPO)} is {'up to date' if same else 'stale'}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(REPO)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
