"""Maintain the Simplified Chinese catalogue: extract, fill, compile, check.

python scripts/i18n.py extract        # add new source strings to the .po (keeps translations)
python scripts/i18n.py todo           # print untranslated strings as JSON {msgid: ""}
python scripts/i18n.py fill FILE.json # merge {msgid: msgstr} translations into the .po
python scripts/i18n.py compile        # write the .mo the app loads
python scripts/i18n.py check          # exit 1 if anything is untranslated, stale or fuzzy
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "models" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "N_": None,
    "Msg": None,
}
SOURCE_DIRS = ("webapp", "models", "worker", "edi")


def extract_sources() -> Catalog:
    template = Catalog(project="Tierlight")
    for folder in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
            options_map={"templates/**.html": {"extensions": "jinja2.ext.do"}},
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            template.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def load_po() -> Catalog:
    if not PO.exists():
        return Catalog(locale="zh_Hans_CN", project="Tierlight")
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def save_po(catalog: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False, no_location=True)
    PO.write_bytes(buffer.getvalue())


def extract() -> None:
    catalog = load_po()
    catalog.update(extract_sources(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    save_po(catalog)
    print(f"{len(catalog)} messages, {len(untranslated(catalog))} untranslated")


def _key(message_id: str | tuple[str, ...]) -> str:
    """The JSON key of a message: its id, or for a plural message its singular id."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _missing(string: str | tuple[str, ...] | None) -> bool:
    if isinstance(string, tuple | list):
        return not all(string)
    return not string


def untranslated(catalog: Catalog) -> list[str]:
    return [_key(m.id) for m in catalog if m.id and (_missing(m.string) or m.fuzzy)]


def fill(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    catalog = load_po()
    applied = 0
    plurals = {m.id[0]: m for m in catalog if m.id and not isinstance(m.id, str)}
    for msgid, msgstr in translations.items():
        message = catalog.get(msgid) or plurals.get(msgid)
        if message is not None and msgstr:
            # Chinese has one plural form: a plural message gets the same text for every count.
            plural = not isinstance(message.id, str)
            message.string = (msgstr,) * catalog.num_plurals if plural else msgstr
            message.flags.discard("fuzzy")
            applied += 1
    save_po(catalog)
    print(f"applied {applied} translations; {len(untranslated(catalog))} still untranslated")


def compile_mo() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, load_po())
    MO.write_bytes(buffer.getvalue())


def check() -> int:
    catalog = load_po()
    problems = []
    known = {_key(m.id) for m in catalog if m.id}
    missing = {_key(m.id) for m in extract_sources() if m.id} - known
    problems += [f"not in the catalogue (run extract): {m!r}" for m in sorted(missing, key=str)]
    problems += [f"untranslated: {m!r}" for m in untranslated(catalog)]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    if not MO.exists() or MO.read_bytes() != buffer.getvalue():
        problems.append("the .mo file is stale (run compile)")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "todo":
        print(json.dumps(dict.fromkeys(untranslated(load_po()), ""), ensure_ascii=False, indent=1))
    elif command == "fill":
        fill(argv[2])
    elif command == "compile":
        compile_mo()
    elif command == "check":
        return check()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
