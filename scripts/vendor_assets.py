"""Vendor front-end assets from the npm registry into ``webapp/static/vendor/``.

The product never loads anything from a CDN at run time: this script downloads each pinned npm
tarball, checks it against the registry's sha512 integrity, and copies the listed files. Run it
after changing a version below; its output is committed.

    python scripts/vendor_assets.py          # fetch and copy
    python scripts/vendor_assets.py --check  # verify the committed files match the manifest
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "webapp" / "static" / "vendor"
MANIFEST = VENDOR_DIR / "MANIFEST.json"

#: package -> (version, {path in the tarball: path under vendor/})
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "echarts": (
        "6.1.0",
        {
            "package/dist/echarts.min.js": "echarts/echarts.min.js",
            "package/LICENSE": "echarts/LICENSE",
        },
    ),
    # htmx 2.x on purpose: 4.x changed attribute semantics.
    "htmx.org": (
        "2.0.11",
        {"package/dist/htmx.min.js": "htmx/htmx.min.js", "package/LICENSE": "htmx/LICENSE"},
    ),
    "@picocss/pico": (
        "2.1.1",
        {"package/css/pico.min.css": "pico/pico.min.css", "package/LICENSE.md": "pico/LICENSE.md"},
    ),
    "swagger-ui-dist": (
        "5.35.0",
        {
            "package/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
            "package/swagger-ui-standalone-preset.js": "swagger-ui/swagger-ui-standalone-preset.js",
            "package/swagger-ui.css": "swagger-ui/swagger-ui.css",
            "package/LICENSE": "swagger-ui/LICENSE",
        },
    ),
}


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def fetch_tarball(name: str, version: str) -> bytes:
    meta = fetch_json(f"{REGISTRY}/{name.replace('/', '%2F')}/{version}")
    algorithm, _, expected = meta["dist"]["integrity"].partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"{name}@{version}: unexpected integrity algorithm {algorithm}")
    with urllib.request.urlopen(meta["dist"]["tarball"], timeout=120) as response:
        data = response.read()
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{name}@{version}: sha512 mismatch, refusing to vendor")
    return data


def vendor() -> dict[str, dict[str, str]]:
    manifest: dict[str, dict[str, str]] = {}
    for name, (version, files) in PACKAGES.items():
        data = fetch_tarball(name, version)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for source, target in files.items():
                member = archive.extractfile(source)
                if member is None:
                    raise SystemExit(f"{name}@{version}: {source} is not in the tarball")
                content = member.read()
                path = VENDOR_DIR / target
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                manifest[target] = {
                    "package": f"{name}@{version}",
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
        print(f"vendored {name}@{version}")
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def check() -> int:
    manifest = json.loads(MANIFEST.read_text())
    bad = [
        target
        for target, entry in manifest.items()
        if not (VENDOR_DIR / target).exists()
        or hashlib.sha256((VENDOR_DIR / target).read_bytes()).hexdigest() != entry["sha256"]
    ]
    for target in bad:
        print(f"out of date or missing: {target}", file=sys.stderr)
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of fetching")
    args = parser.parse_args()
    if args.check:
        return check()
    vendor()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
