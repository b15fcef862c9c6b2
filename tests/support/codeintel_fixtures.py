"""Two small repositories (Python with a src layout, TypeScript/JavaScript) written to tmp_path."""

from __future__ import annotations

from pathlib import Path

PY_REPO = {
    "pyproject.toml": '[project]\nname = "shop"\n',
    "src/shop/__init__.py": "",
    "src/shop/numbering.py": (
        '"""Gap-free invoice numbers."""\n\n'
        "SEQUENCE_START = 1000\n\n\n"
        "def next_number(last: int | None) -> int:\n"
        "    return SEQUENCE_START if last is None else last + 1\n"
    ),
    "src/shop/invoices.py": (
        "from dataclasses import dataclass\n\n"
        "from shop.numbering import next_number\n\n\n"
        "@dataclass\n"
        "class Invoice:\n"
        "    number: int\n"
        "    total_cents: int\n\n"
        "    def as_json(self) -> dict:\n"
        '        return {"number": self.number, "total": self.total_cents}\n\n\n'
        "def issue_invoice(last: int | None, total_cents: int) -> Invoice:\n"
        "    return Invoice(next_number(last), total_cents)\n"
    ),
    "src/shop/mailer.py": (
        "from .invoices import Invoice\n\n\n"
        "def send_invoice_email(invoice: Invoice, contact: str) -> str:\n"
        '    return f"to {contact}: invoice {invoice.number}"\n'
    ),
    "src/shop/reports/__init__.py": "",
    "src/shop/reports/monthly.py": (
        "from shop import numbering\n\n"
        "from ..invoices import issue_invoice\n\n\n"
        "async def monthly_batch(count: int) -> list:\n"
        "    return [issue_invoice(numbering.SEQUENCE_START, 0) for _ in range(count)]\n"
    ),
    "tests/test_invoices.py": (
        "import json\n\n"
        "from shop.invoices import issue_invoice\n\n\n"
        "def test_issue():\n"
        "    assert json.dumps(issue_invoice(None, 5).as_json())\n"
    ),
    "scripts/broken.py": "def oops(:\n    pass\n",
    "node_modules/leftpad/index.js": "module.exports = 1;\n",
}

TS_REPO = {
    "package.json": '{"name": "cart", "type": "module"}\n',
    "src/index.ts": (
        'export * from "./cart";\n'
        'import { formatPrice } from "./util/format";\n'
        "export const VERSION = formatPrice(1);\n"
    ),
    "src/cart.ts": (
        'import { formatPrice } from "./util/format.js";\n'
        'import type { Item } from "./types";\n'
        'import { z } from "zod";\n\n'
        "export class Cart {\n"
        "  items: Item[] = [];\n"
        "  add(item: Item): void { this.items.push(item); }\n"
        "  totalLabel(): string { return formatPrice(this.items.length); }\n"
        "}\n"
    ),
    "src/util/format.ts": (
        "export function formatPrice(cents: number): string {\n"
        "  return `$${(cents / 100).toFixed(2)}`;\n"
        "}\n"
    ),
    "src/types.ts": (
        "export interface Item { sku: string; cents: number }\nexport type Sku = string;\n"
    ),
    "src/legacy.js": (
        'const fmt = require("./util/format");\n'
        "function oldTotal(items) { return items.length; }\n"
        "module.exports = { oldTotal, fmt };\n"
    ),
    "src/components/Button.tsx": (
        'import React from "react";\nexport const Button = () => <button>Buy</button>;\n'
    ),
    "src/components/index.ts": 'export { Button } from "./Button";\n',
    "src/broken.ts": "export function (: {\n",
}


def write_repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
