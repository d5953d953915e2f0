"""X12 names no character set: UTF-8 when the bytes are, GB18030 when they are that and hold
Chinese, else Latin-1 byte for byte (EDIFACT follows its syntax identifier instead)."""

from __future__ import annotations

from edi import has_errors, parse_document

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240301*1200*U*00401*"
    "000000001*0*P*>~"
)


def _po(name: str, part: str = "P-1") -> str:
    return (
        f"{ISA}GS*PO*SENDER*RECEIVER*20240301*1200*1*X*004010~ST*850*0001~"
        f"BEG*00*SA*PO-1**20240301~N1*ST*{name}~PO1*1*2*EA*3**BP*{part}~SE*5*0001~"
        "GE*1*1~IEA*1*000000001~"
    )


def _read(data: bytes) -> tuple[str, str]:
    """(the N1 name, the part number) the reader gives."""
    document = parse_document(data)
    assert not has_errors(document), document.all_errors()
    (message,) = document.interchanges[0].messages
    name = next(s for s in message.segments() if s.tag == "N1").value(2)
    return name, message.records[0]["lines"][0]["part_number"]


def test_a_gbk_file_with_chinese_names_is_read_as_gb18030():
    name = "上海长风精密制造有限公司"
    assert _read(_po(name, "支架-100").encode("gbk")) == (name, "支架-100")


def test_a_gb18030_only_character_is_read_too():
    name = "𠀀𠀁实业"  # outside GBK: four-byte GB18030
    assert _read(_po(name).encode("gb18030"))[0] == name


def test_utf_8_stays_utf_8():
    name = "上海长风精密制造有限公司"
    assert _read(_po(name).encode("utf-8"))[0] == name


def test_latin_1_names_are_not_taken_for_chinese():
    """Each of these decodes cleanly as GB18030, into lone ideographs ("M黮ler")."""
    for name in ("Müller GmbH", "Açúcar Ltda", "Société Générale", "Ørsted A/S"):
        assert _read(_po(name).encode("latin-1"))[0] == name


def test_a_gbk_file_with_an_invalid_byte_stays_latin_1():
    data = _po("上海长风").encode("gbk").replace("长".encode("gbk"), b"\xff\xff")
    assert _read(data)[0] == "上海".encode("gbk").decode("latin-1") + "ÿÿ" + "风".encode(
        "gbk"
    ).decode("latin-1")
