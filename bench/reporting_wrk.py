"""Drive a phase of the reporting benchmark with wrk (Debian's ``wrk``), a load tool in C.

A Python client spends more CPU per request than a small Flask view does: on two cores an
asyncio/httpx client caps the trivial endpoint at a sixth of what the server answers, so the
ratio of the report path to it would measure the client. wrk costs a few per cent of a core.
Each wrk thread cycles through its share of the signed-in reporters (their session cookie,
CSRF token and line), gives every report its own idempotency key, counts a response other than
the expected status as an error, and prints its figures as one JSON line at the end. Without
keep-alive every request says ``Connection: close`` and wrk opens a new connection for the next.
Requests carry the User-Agent the reporters signed in with, as a phone's browser does: with
another, the session no longer matches the browser that opened it, and Flask-Login marks it
not fresh again on every request (a new session cookie in every response).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

THREADS = 2

#: The browser every reporter signs in and reports with.
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; shop floor) Tierlight-bench"

_SCRIPT = """
local reporters = {%(reporters)s}
local expected, path, think_ms, run = %(expected)d, "%(path)s", %(think_ms)d, "%(run)s"
local connection, agent = "%(connection)s", "%(user_agent)s"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  sent, errors, mine = 0, 0, {}
  for i = id, #reporters, %(threads)d do table.insert(mine, reporters[i]) end
  math.randomseed(id)
end

function request()
  sent = sent + 1
  if path ~= "" then
    return wrk.format("GET", path, {["Connection"] = connection, ["User-Agent"] = agent})
  end
  local r = mine[(sent %% #mine) + 1]
  local body = "csrf_token=" .. r[2] .. "&stage=production&quantity_done=" .. (sent %% 900)
    .. "&idempotency_key=" .. run .. "-" .. id .. "-" .. sent
  return wrk.format("POST", "/orders/lines/" .. r[1] .. "/report",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = r[3],
     ["Connection"] = connection, ["User-Agent"] = agent}, body)
end

function response(status, headers, body)
  if status ~= expected then errors = errors + 1 end
end

if think_ms > 0 then
  function delay() return math.floor(think_ms * (0.5 + math.random())) end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("errors") end
  io.write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p99_ms": %%.2f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


@dataclass(frozen=True)
class SignedIn:
    """A reporter as the load tool needs it: its line, form token and session cookie."""

    line_id: int
    csrf_token: str
    cookie: str


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    base: str,
    connections: int,
    seconds: float,
    reporters: list[SignedIn],
    path: str = "",
    expected: int = 303,
    think: float = 0.0,
    keep_alive: bool = True,
) -> dict[str, float]:
    """One phase: ``connections`` clients for ``seconds``; reports when ``path`` is empty,
    else GETs of ``path``; ``think`` seconds (0.5-1.5 times) between a client's requests."""
    rows = ",".join(f'{{{r.line_id}, "{r.csrf_token}", "{r.cookie}"}}' for r in reporters)
    script = _SCRIPT % {
        "reporters": rows,
        "expected": expected,
        "path": path,
        "think_ms": round(think * 1000),
        "run": uuid.uuid4().hex[:12],
        "threads": THREADS,
        "connection": "keep-alive" if keep_alive else "close",
        "user_agent": USER_AGENT,
    }
    with tempfile.TemporaryDirectory(prefix="tierlight-wrk-") as folder:
        lua = Path(folder) / "phase.lua"
        lua.write_text(script)
        command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                   "--timeout", "30s", "-s", str(lua), base]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    done = figures.pop("requests")
    return {"rps": done / figures.pop("seconds"), **figures, "requests": done}
