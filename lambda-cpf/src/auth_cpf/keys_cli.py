"""Key tooling: ``python -m auth_cpf.keys_cli generate PATH`` and ``... jwks PEM [PEM]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from auth_cpf.logic.keys import KeyRing, write_dev_key
from auth_cpf.models.errors import KeyLoadError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth_cpf.keys_cli")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="create a 2048-bit RSA dev key (PKCS#8 PEM, 0600)")
    gen.add_argument("path")
    pub = sub.add_parser("jwks", help="print the JWKS for a current (and previous) key")
    pub.add_argument("current")
    pub.add_argument("previous", nargs="?")
    args = parser.parse_args(argv)

    if args.command == "generate":
        existed = Path(args.path).exists()
        path = write_dev_key(args.path)
        print(f"{'kept existing' if existed else 'wrote'} {path}")
        return 0
    try:
        previous = Path(args.previous).read_bytes() if args.previous else None
        ring = KeyRing.from_pems(Path(args.current).read_bytes(), previous)
    except (OSError, KeyLoadError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(ring.jwks(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
