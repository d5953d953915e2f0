"""Finding lots to trace: by lot or serial number, part, purchase order or ship notice.

Every search returns what one query scoped by the access rule (category traceability) finds:
a lot whose maker does not share it with the viewer is not found, exactly like a lot that does
not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    Subquery,
    and_,
    any_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, contains_eager

from models.access import made_for_chain, visible_org_ids_query
from models.errors import NotFound, ValidationFailed
from models.i18n import N_
from models.orders.entities import (
    Lot,
    OrderLine,
    Part,
    PurchaseOrder,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orgs.entities import Organisation

SEARCH_LIMIT = 50
FEW_MATCHES = 1000
BULK_LIMIT = 1000
MATCH_ORDER = ("lot", "part", "order", "notice")
QUOTES = "\"'“”‘’「」『』＂＇"


@dataclass(frozen=True)
class Hit:
    """A lot found, and what the search term matched (its number, part, order or notice)."""

    lot: Lot
    matched: str

    @property
    def is_serial(self) -> bool:
        return self.lot.quantity is not None and self.lot.quantity == 1


def visible_lots(viewer_org_id: int | None) -> Select[tuple[Lot]]:
    """Lots (with maker and part loaded) the viewer may trace: its own, and those whose maker
    shares traceability with it made for its own supply chain."""
    query = (
        select(Lot)
        .join(Lot.maker)
        .join(Lot.part)
        .options(contains_eager(Lot.maker), contains_eager(Lot.part))
    )
    if viewer_org_id is None:
        return query
    shared = and_(
        Lot.maker_org_id.in_(visible_org_ids_query(viewer_org_id, "traceability")),
        made_for_chain(viewer_org_id, Part.owner_org_id),
    )
    return query.where(or_(Lot.maker_org_id == viewer_org_id, shared))


def search_lots(
    session: Session, viewer_org_id: int | None, term: str, limit: int = SEARCH_LIMIT
) -> list[Hit]:
    """Lots matching ``term`` as a lot/serial number (its beginning, in any case), a part
    number, the number of a purchase order the viewer is party to, or a ship notice number.

    The number's beginning is matched as ``upper(lot_number) LIKE upper('term%')``, so that it
    is found in any case on PostgreSQL (whose LIKE tells cases apart) as on SQLite, through
    the index on that expression there; ``%`` and ``_`` in the term are taken literally.
    Only the lots that match are read (see :func:`_few_read_by_id`), not every visible lot.
    """
    term = term.strip()
    if not term:
        raise ValidationFailed.on(
            "q", N_("Enter a lot, serial, part, order or ship notice number.")
        )
    matches = _matches(term, viewer_org_id)
    query = (
        visible_lots(viewer_org_id)
        .add_columns(matches.c.matched)
        .join(matches, matches.c.lot_id == Lot.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        _plan_for_each_term(session)
        query = _few_read_by_id(session, query, matches)
    rows = session.execute(
        query.order_by(Lot.lot_number, Lot.id).limit(limit * len(MATCH_ORDER))
    ).all()
    best: dict[int, Hit] = {}
    for lot, matched in rows:
        current = best.get(lot.id)
        if current is None or MATCH_ORDER.index(matched) < MATCH_ORDER.index(current.matched):
            best[lot.id] = Hit(lot, matched)
    hits = sorted(
        best.values(),
        key=lambda h: (h.lot.lot_number.upper() != term.upper(), MATCH_ORDER.index(h.matched)),
    )
    return hits[:limit]


def _matches(term: str, viewer_org_id: int | None) -> Subquery:
    """The ids of the lots ``term`` matches, each with what it matched (once per way)."""
    return union_all(
        select(Lot.id.label("lot_id"), literal("lot").label("matched")).where(
            func.upper(Lot.lot_number).like(func.upper(_prefix(term)), escape="\\")
        ),
        select(Lot.id, literal("part"))
        .join(Part, Part.id == Lot.part_id)
        .where(or_(Part.part_number == term, Part.supplier_part_number == term)),
        _shipped_lots("order", viewer_org_id).where(PurchaseOrder.number == term),
        _shipped_lots("notice", viewer_org_id).where(ShipNotice.number == term),
    ).subquery("matches")


def _plan_for_each_term(session: Session) -> None:
    """Plan the search for its term, every time, until the transaction ends.

    The driver prepares a statement run five times on a connection, and PostgreSQL then plans
    it once for any term: a plan that cannot know the term's beginning cannot use the index on
    ``upper(lot_number)``, so it reads every lot (13 ms instead of 2 at 20,000 lots)."""
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _few_read_by_id(
    session: Session, query: Select[tuple[Lot, str]], matches: Subquery
) -> Select[tuple[Lot, str]]:
    """The search, on PostgreSQL, reading the lots of at most ``FEW_MATCHES`` matches by id.

    Joined to the matches alone, PostgreSQL reads every visible lot and probes the matches:
    it prices the access rule (hashed subqueries on each lot) as if it ran again for each
    match, so reading the matching lots one by one looks dearer than reading them all. Their
    ids, fetched first and given as an array, let it read just those through the primary key;
    the join still decides, so the hits are the same. A term matching more (a short prefix)
    is searched as before: reading all lots is then the right plan.
    """
    found = list(session.scalars(select(matches.c.lot_id).limit(FEW_MATCHES + 1)))
    if len(found) > FEW_MATCHES:
        return query
    ids = sorted(set(found))
    return query.where(Lot.id == any_(bindparam(None, ids, type_=ARRAY(BigInteger))))


def _prefix(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _shipped_lots(label: str, viewer_org_id: int | None) -> Select[tuple[int, str]]:
    """Lots shipped on order lines (of orders the viewer is party to, for an order search)."""
    query = (
        select(ShipmentLot.lot_id, cast(literal(label), String))
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .join(ShipNotice, ShipNotice.id == ShipNoticeLine.notice_id)
        .join(OrderLine, OrderLine.id == ShipNoticeLine.order_line_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
    )
    if label == "order" and viewer_org_id is not None:
        query = query.where(
            or_(
                PurchaseOrder.buyer_org_id == viewer_org_id,
                PurchaseOrder.supplier_org_id == viewer_org_id,
            )
        )
    return query


def bulk_lookup(
    session: Session, viewer_org_id: int | None, numbers: Sequence[str]
) -> dict[str, list[Lot]]:
    """Each pasted lot number with the visible lots bearing it (an empty list: not found).

    One query for all numbers; quotes around a number are dropped (see :func:`unquoted`),
    then duplicates and blank entries, and the order is kept. A number is found in any case,
    as in the search box. Lot numbers may hold spaces, so a pasted entry with spaces is
    looked up whole, and only when no lot bears it, as the numbers its words are (a line of
    numbers separated by spaces).
    """
    cleaned = (unquoted(n) for n in numbers if n)
    pasted = list(_once_in_any_case(n for n in cleaned if n))
    if not pasted:
        raise ValidationFailed.on("lot_numbers", N_("Paste at least one lot number."))
    words = {n: n.split() for n in pasted if " " in n}
    if len(pasted) > BULK_LIMIT or len(pasted) + sum(map(len, words.values())) > 2 * BULK_LIMIT:
        _too_many(len(pasted))
    candidates = {n.upper() for n in pasted} | {w.upper() for ws in words.values() for w in ws}
    by_number: dict[str, list[Lot]] = {}
    query = visible_lots(viewer_org_id).where(func.upper(Lot.lot_number).in_(sorted(candidates)))
    for lot in session.scalars(query.order_by(Lot.lot_number, Lot.id)):
        by_number.setdefault(lot.lot_number.upper(), []).append(lot)
    wanted = list(
        _once_in_any_case(
            part
            for number in pasted
            for part in (
                [number] if number not in words or number.upper() in by_number else words[number]
            )
        )
    )
    if len(wanted) > BULK_LIMIT:
        _too_many(len(wanted))
    return {number: by_number.get(number.upper(), []) for number in wanted}


def _once_in_any_case(numbers: Iterable[str]) -> Iterator[str]:
    """Each number once, as first written: STEEL-1 and steel-1 name the same lots."""
    seen: set[str] = set()
    for number in numbers:
        if number.upper() not in seen:
            seen.add(number.upper())
            yield number


def _too_many(count: int) -> None:
    raise ValidationFailed.on(
        "lot_numbers",
        N_("At most %(limit)s lot numbers at once; this list has %(count)s."),
        limit=BULK_LIMIT,
        count=count,
    )


def split_numbers(text: str) -> list[str]:
    """Lot numbers pasted as lines, commas, semicolons or tabs (a spreadsheet column), each
    without the quotes a spreadsheet or a document may have put around it. Spaces stay inside
    an entry: a lot number may hold them (:func:`bulk_lookup` splits an entry no lot bears)."""
    for separator in (",", ";", "\t", "\r"):
        text = text.replace(separator, "\n")
    return [number for number in map(unquoted, text.split("\n")) if number]


def unquoted(number: str) -> str:
    """A pasted number without surrounding blanks and quotes: spreadsheets copy a cell as
    ``"JN-F-2411-01"``, Chinese documents quote with “…”, ‘…’, 「…」 or 『…』, and Excel marks
    a number kept as text with a leading apostrophe."""
    return number.strip().strip(QUOTES).strip()


def find_lot(
    session: Session, viewer_org_id: int | None, lot_number: str, maker_code: str | None = None
) -> Lot:
    """The one visible lot with this number (and maker credit code, when several share it).

    The number is found in any case, as in the search box; a lot written exactly as typed
    comes before others that differ only in case. Raises :class:`NotFound` when no visible lot
    has the number and :class:`ValidationFailed` (naming ``maker``) when several do and no
    maker was given.
    """
    number = lot_number.strip()
    query = visible_lots(viewer_org_id).where(func.upper(Lot.lot_number) == number.upper())
    if maker_code:
        query = query.where(Organisation.credit_code == maker_code.strip().upper())
    lots = list(session.scalars(query.limit(10)))
    lots = [lot for lot in lots if lot.lot_number == number] or lots
    if not lots:
        raise NotFound(N_("No lot %(number)s that you may see."), number=number)
    if len(lots) > 1:
        raise ValidationFailed.on(
            "maker",
            N_("Several makers have a lot %(number)s; give the maker's credit code."),
            number=number,
        )
    return lots[0]


def get_visible_lot(session: Session, viewer_org_id: int | None, lot_id: int) -> Lot:
    """A lot by id, or :class:`NotFound` when it does not exist or may not be seen."""
    lot = session.scalar(visible_lots(viewer_org_id).where(Lot.id == lot_id))
    if lot is None:
        raise NotFound()
    return lot
