"""Benchmark the EDI reader against a plain split tokenizer and pydifact, and the full ingest.

``python -m bench.edi [--scale F]`` generates an X12 856 with 50,000 item loops and an EDIFACT
DESADV with 50,000 lines (times F) and prints segments per second for each figure; the last
line is one JSON object. Each figure is one function taking the generated files. The full
ingest of one 50,000-line ship notice (one 856 transaction set) into PostgreSQL
(``DATABASE_URL`` when it names a PostgreSQL server, else the default server; its own
database, dropped afterwards) is timed in a child process: ``ingest_s`` and ``peak_mb``
(see :mod:`bench.edi_ingest`); the same notice as a DESADV gives ``desadv_ingest_s`` and
``desadv_peak_mb``. ``--no-ingest`` leaves both out.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from edi import parse_document, read

PYDIFACT_LINES = 2_000


@dataclass(frozen=True)
class Sample:
    """A generated file, its separators and its number of segments."""

    data: bytes
    terminator: str
    element: str
    segments: int


def make_856(items: int) -> Sample:
    """An X12 856: shipment, one order, ``items`` item loops (HL, LIN with lot, SN1, REF*LT)."""
    head = [
        "ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*ANCHOR         *240301*1200*U*"
        "00401*000000001*0*P*>",
        "GS*SH*SUPPLIER*ANCHOR*20240301*1200*1*X*004010",
    ]
    body = ["ST*856*0001", "BSN*00*ASN0001*20240301*1200", "DTM*011*20240301", "HL*1**S"]
    body += ["TD5**2*UPSN", "REF*CN*1Z999AA10123456784", "HL*2*1*O", "PRF*PO-4711"]
    for n in range(items):
        body += [
            f"HL*{n + 3}*2*I",
            f"LIN*{n + 1}*BP*PART-{n:06d}*VP*SUP-{n:06d}*LT*LOT-{n:06d}",
            f"SN1**{n % 97 + 1}*EA",
            f"REF*LT*LOT-{n:06d}",
        ]
    body.append(f"CTT*{items}")
    body.append(f"SE*{len(body) + 1}*0001")
    segments = [*head, *body, "GE*1*1", "IEA*1*000000001"]
    return Sample(("~\n".join(segments) + "~\n").encode(), "~", "*", len(segments))


def make_desadv(lines: int) -> Sample:
    """An EDIFACT DESADV: ``lines`` lines (LIN, PIA, QTY, RFF+ON, GIN+BX), a CPS every 10 (the
    notice the full ingest takes, :func:`bench.edi_ingest.make_desadv_notice`)."""
    from bench.edi_ingest import make_desadv_notice

    data, segments = make_desadv_notice(lines)
    return Sample(data, "'", "+", segments)


def best_of(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (garbage from a run is collected after it)."""
    fastest = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def split_ceiling(sample: Sample, repeat: int) -> float:
    """Segments/s of a plain ``split`` tokenizer: decode, split segments, split elements."""

    def run() -> None:
        element = sample.element
        for raw in sample.data.decode("utf-8").split(sample.terminator):
            raw.split(element)

    return sample.segments / best_of(run, repeat)


def read_only(sample: Sample, repeat: int) -> float:
    """Segments/s of the reader: envelopes checked, every segment of every message tokenised."""

    def run() -> None:
        for interchange in read(sample.data).interchanges:
            for message in interchange.messages:
                for _tokens in message.tokens():
                    pass

    return sample.segments / best_of(run, repeat)


def read_and_map(sample: Sample, repeat: int) -> float:
    """Segments/s of :func:`edi.parse_document`: reading, decoding and mapping to records."""
    return sample.segments / best_of(lambda: parse_document(sample.data), repeat)


def pydifact_rate(sample: Sample, repeat: int) -> float:
    """Segments/s of pydifact's parser on ``sample`` (a small DESADV: it is slow)."""
    from pydifact.parser import Parser

    text = sample.data.decode("utf-8")

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydifact warns about every segment it cannot check
            list(Parser().parse(text))

    return sample.segments / best_of(run, repeat)


def ingest_figures(count: int, standard: str = "x12") -> dict[str, float]:
    """Full ingest of one ``count``-line ship notice into PostgreSQL (:mod:`bench.edi_ingest`):
    an 856, or a DESADV for ``edifact`` (its figures named ``desadv_...``)."""
    from bench.edi_ingest import ORDER_LINES, measure

    measured = measure(count, standard=standard)
    kind = "856" if standard == "x12" else "DESADV"
    print(
        f"ingest: one {kind} of {count:,} lines against orders of {ORDER_LINES} lines "
        f"({measured['messages']} message, {measured['accepted']} accepted), "
        f"status {measured['status']}"
    )
    if measured["status"] != "accepted":
        print(f"first error: {measured['first_error']}")
    prefix = "" if standard == "x12" else "desadv_"
    return {
        f"{prefix}ingest_s": measured["ingest_s"],
        f"{prefix}peak_mb": measured["peak_mb"],
        f"{prefix}ingest_seg_s": measured["ingest_seg_s"],
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (1 = 50,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (best is kept)")
    parser.add_argument("--no-ingest", action="store_true", help="skip the database ingest")
    args = parser.parse_args(argv)
    count = max(1, int(50_000 * args.scale))
    x12, edifact = make_856(count), make_desadv(count)
    small = make_desadv(min(count, PYDIFACT_LINES))
    print(f"X12 856: {x12.segments:,} segments; EDIFACT DESADV: {edifact.segments:,} segments")
    figures = {
        "x12_read_seg_s": read_only(x12, args.repeat),
        "edifact_read_seg_s": read_only(edifact, args.repeat),
        "split_ceiling_seg_s": split_ceiling(x12, args.repeat),
        "edifact_split_ceiling_seg_s": split_ceiling(edifact, args.repeat),
        "map_seg_s": read_and_map(x12, max(1, args.repeat // 2)),
        "edifact_map_seg_s": read_and_map(edifact, max(1, args.repeat // 2)),
        "pydifact_seg_s": pydifact_rate(small, max(1, args.repeat // 2)),
    }
    # The reader must keep up on both standards, so the worse of the two ratios is reported.
    figures["ratio_vs_ceiling"] = min(
        figures["x12_read_seg_s"] / figures["split_ceiling_seg_s"],
        figures["edifact_read_seg_s"] / figures["edifact_split_ceiling_seg_s"],
    )
    figures["ratio_vs_pydifact"] = figures["edifact_read_seg_s"] / figures["pydifact_seg_s"]
    if not args.no_ingest:
        figures.update(ingest_figures(count))
        figures.update(ingest_figures(count, "edifact"))
    for name, value in figures.items():
        print(f"{name:30s} {value:>14,.2f}")
    result = {name: round(value, 3) for name, value in figures.items()}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
