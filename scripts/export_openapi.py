"""Write the API's OpenAPI document for the frontend's type generation.

Usage: python -m scripts.export_openapi [path]   (default frontend/openapi.json)
       python -m scripts.export_openapi --check  (fails when the committed copy is stale)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import app  # noqa: F401 - registers every route
from chalicelib.api.openapi import openapi_document

DEFAULT = Path(__file__).resolve().parent.parent / "frontend" / "openapi.json"


def render() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--check":
        if not DEFAULT.exists() or DEFAULT.read_text(encoding="utf-8") != render():
            print(f"{DEFAULT} is out of date: run `python -m scripts.export_openapi` and `npm run gen:api`")
            return 1
        return 0
    target = Path(argv[0]) if argv else DEFAULT
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
