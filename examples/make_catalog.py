"""Regenerate ``examples/catalog.jsonl``: a realistic demo feed of 2,000 products, 10 of them broken.

    python examples/make_catalog.py            # writes examples/catalog.jsonl
    python examples/make_catalog.py -o out.jsonl --products 50000

Deterministic: the same arguments always give the same bytes (a seeded ``random.Random``).
Products use Criteo's camelCase fields; ids are ASCII. A handful of lines are deliberately wrong,
one of each kind the SDK reports, listed in :data:`BROKEN` (line number -> what is wrong):
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHOP = "https://www.alpine-outfitters.example"
CDN = "https://cdn.alpine-outfitters.example/img"

CATEGORIES: dict[str, dict[str, Any]] = {
    "shoes": {
        "google": "Apparel & Accessories > Shoes",
        "type": "Footwear > Hiking Shoes",
        "nouns": ["Hiking Boot", "Trail Runner", "Approach Shoe", "Winter Boot", "Sandal"],
        "sizes": ["38", "39", "40", "41", "42", "43", "44", "45"],
        "price": (59, 249),
    },
    "jackets": {
        "google": "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
        "type": "Clothing > Jackets",
        "nouns": ["Rain Jacket", "Down Jacket", "Softshell Jacket", "Fleece Jacket", "Insulated Vest"],
        "sizes": ["XS", "S", "M", "L", "XL", "XXL"],
        "price": (49, 399),
    },
    "packs": {
        "google": "Luggage & Bags > Backpacks",
        "type": "Equipment > Backpacks",
        "nouns": ["Daypack", "Trekking Backpack", "Hydration Pack", "Climbing Pack"],
        "sizes": ["20 L", "30 L", "45 L", "65 L"],
        "price": (39, 289),
    },
    "camping": {
        "google": "Sporting Goods > Outdoor Recreation > Camping & Hiking",
        "type": "Equipment > Camping",
        "nouns": ["Tent", "Sleeping Bag", "Sleeping Mat", "Camping Stove", "Headlamp", "Trekking Poles"],
        "sizes": [],
        "price": (19, 599),
    },
}
BRANDS = ["Bergfalke", "Nordkamm", "Alpenglow", "Summit Line", "Granite Peak", "Lumen", "Sierra Works", "Eiger & Co"]
ADJECTIVES = ["Lightweight", "Waterproof", "Breathable", "Insulated", "Ultralight", "Packable", "Rugged", "Classic"]
COLORS = ["Black", "Navy", "Olive", "Red", "Slate Grey", "Glacier Blue", "Sand"]
MATERIALS = ["recycled polyester", "merino wool", "nylon ripstop", "Gore-Tex membrane", "full-grain leather"]
FEATURES = [
    "taped seams",
    "adjustable hood",
    "a grippy Vibram sole",
    "YKK zippers",
    "reflective details",
    "a lifetime warranty",
    "PFC-free water repellency",
    "an ergonomic harness",
]
AVAILABILITY = ["in stock"] * 8 + ["out of stock", "preorder"]


def gtin13(rng: random.Random) -> str:
    """A GTIN-13 with a valid check digit."""
    digits = [4, 0] + [rng.randrange(10) for _ in range(10)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, [*digits, check]))


def make_product(rng: random.Random, n: int) -> dict[str, Any]:
    """One realistic product, number ``n`` of the catalog."""
    cat_name = rng.choice(list(CATEGORIES))
    cat = CATEGORIES[cat_name]
    brand = rng.choice(BRANDS)
    noun = rng.choice(cat["nouns"])
    color = rng.choice(COLORS)
    pid = f"AO-{cat_name[:3].upper()}-{n:05d}"
    slug = f"{brand}-{noun}-{pid}".lower().replace(" ", "-").replace("&", "and")
    lo, hi = cat["price"]
    price = rng.randint(lo, hi) - 0.01
    title = f"{brand} {rng.choice(ADJECTIVES)} {noun} - {color}"
    description = (
        f"The {brand} {noun.lower()} in {color.lower()} is made of {rng.choice(MATERIALS)}, "
        f"with {rng.choice(FEATURES)} and {rng.choice(FEATURES)}. "
        f"Designed in the Alps for {rng.choice(['day hikes', 'multi-day treks', 'alpine climbs', 'city commutes'])}."
    )
    p: dict[str, Any] = {
        "id": pid,
        "title": title,
        "description": description,
        "link": f"{SHOP}/p/{slug}",
        "imageLink": f"{CDN}/{pid.lower()}/main.jpg",
        "additionalImageLinks": [f"{CDN}/{pid.lower()}/{k}.jpg" for k in range(1, rng.randint(1, 4))],
        "brand": brand,
        "price": {"value": f"{price:.2f}", "currency": "EUR"},
        "availability": rng.choice(AVAILABILITY),
        "condition": "new",
        "gtin": gtin13(rng),
        "googleProductCategory": cat["google"],
        "productTypes": [cat["type"]],
        "color": color,
        "itemGroupId": f"AO-GRP-{n // 3:05d}",
        "contentLanguage": "en",
        "targetCountry": "FR",
    }
    if cat["sizes"]:
        p["sizes"] = rng.sample(cat["sizes"], k=min(len(cat["sizes"]), rng.randint(2, 5)))
    if rng.random() < 0.25:
        p["salePrice"] = {"value": f"{price * 0.8:.2f}", "currency": "EUR"}
    if rng.random() < 0.5:
        p["numberOfReviews"] = rng.randint(0, 800)
        p["productRating"] = f"{rng.uniform(3.0, 5.0):.1f}"
    if rng.random() < 0.3:
        p["shippingWeight"] = {"value": round(rng.uniform(0.2, 4.5), 2), "unit": "kg"}
    return p


def _missing_image(p: dict[str, Any]) -> None:
    del p["imageLink"]


def _title_too_long(p: dict[str, Any]) -> None:
    p["title"] = (p["title"] + " - ") * 30  # ~1,000 characters: over the 500 limit


def _non_ascii_id(p: dict[str, Any]) -> None:
    p["id"] = p["id"].replace("AO-", "AO-Caf\u00e9-")


def _price_as_number(p: dict[str, Any]) -> None:
    p["price"] = {"value": float(p["price"]["value"]), "currency": "EUR"}


def _bad_channel(p: dict[str, Any]) -> None:
    p["channel"] = "local"


def _relative_link(p: dict[str, Any]) -> None:
    p["link"] = p["link"].removeprefix("https://")


def _long_item_group(p: dict[str, Any]) -> None:
    p["itemGroupId"] = "AO-GROUP-" + "X" * 60


def _misspelt_field(p: dict[str, Any]) -> None:
    # Google's image_link would be mapped to imageLink; a typo maps to nothing: left out (and noted), so
    # the product has no image.
    p["imageLnk"] = p.pop("imageLink")


#: Line number -> (what is wrong, how to break the product). Line 1500 repeats the id of line 200 in
#: another letter case (the later one wins; the earlier is reported superseded) and line 1900 is
#: truncated JSON (a parse error).
BROKEN: dict[int, tuple[str, Callable[[dict[str, Any]], None]]] = {
    17: ("missing imageLink", _missing_image),
    250: ("title over 500 characters", _title_too_long),
    333: ("non-ASCII product id", _non_ascii_id),
    512: ("price value as a number, not a string", _price_as_number),
    777: ('channel other than "online"', _bad_channel),
    1024: ("link without http(s) scheme", _relative_link),
    1333: ("itemGroupId over 50 characters", _long_item_group),
    1666: ("misspelt field imageLnk (left out with a note: no imageLink)", _misspelt_field),
}
DUPLICATE_LINE, DUPLICATE_OF = 1500, 200
TRUNCATED_LINE = 1900


def make_lines(n_products: int = 2000, seed: int = 20240601) -> list[str]:
    """The feed's lines (without newlines)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    products = [make_product(rng, i) for i in range(1, n_products + 1)]
    for line, (_, breaker) in BROKEN.items():
        if line <= n_products:
            breaker(products[line - 1])
    if n_products >= DUPLICATE_LINE:
        products[DUPLICATE_LINE - 1]["id"] = products[DUPLICATE_OF - 1]["id"].lower()
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in products]
    if n_products >= TRUNCATED_LINE:
        lines[TRUNCATED_LINE - 1] = lines[TRUNCATED_LINE - 1][:80]
    return lines


def main(argv: list[str] | None = None) -> None:
    """Write the feed."""
    ap = argparse.ArgumentParser(description="Regenerate the demo catalog feed (JSON Lines).")
    ap.add_argument("-o", "--output", type=Path, default=HERE / "catalog.jsonl")
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args(argv)
    lines = make_lines(args.products, args.seed)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} products to {args.output}")


if __name__ == "__main__":
    main()
