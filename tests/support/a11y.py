"""What a phone or a screen reader would trip over, measured in the browser: axe-core's
serious and critical violations, sideways scrolling, overlapping boxes, broken words, contrast."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe-4.14.1.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page, context: object = None, rules: list[str] | None = None) -> list[str]:
    """Serious and critical violations on the page as it is now, one line per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # add_script_tag injects an inline <script>, which the page's CSP (script-src 'self')
        # refuses; evaluating the source through the browser's debugger is not subject to it,
        # so the page is checked with its real policy in force.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options = {"runOnly": rules} if rules else {}
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the screen)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def boxes(page, selector: str) -> list[dict]:
    """Where each shown element under selector is (ones not displayed are left out)."""
    return page.evaluate(
        """selector => Array.from(document.querySelectorAll(selector))
             .filter(el => el.getClientRects().length > 0)
             .map(el => {
               const r = el.getBoundingClientRect();
               return {id: el.id, x: r.x, y: r.y, width: r.width, height: r.height};
             })""",
        selector,
    )


def overlapping(found: list[dict]) -> list[tuple[str, str]]:
    """Pairs of boxes that share more than a pixel of area."""
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            across = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            down = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            if across > 1 and down > 1:
                pairs.append((a["id"], b["id"]))
    return pairs


def broken_words(page, selector: str) -> list[str]:
    """Texts under selector in which a word is split across lines, with its line count."""
    return page.evaluate(
        """selector => {
          const broken = [];
          for (const el of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
                if (tops.size > 1) broken.push(`${el.textContent.trim()} (${match[0]})`);
              }
            }
          }
          return broken;
        }""",
        selector,
    )


def rgb(css: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' as (r, g, b, alpha)."""
    inside = css[css.index("(") + 1 : css.index(")")].replace("/", " ").replace(",", " ")
    parts = [float(p) for p in inside.split()]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two opaque CSS colours."""

    def luminance(css: str) -> float:
        channels = []
        for value in rgb(css)[:3]:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def backdrop(page, selector: str) -> str:
    """The first opaque background colour behind the element's parent (what a ring sits on)."""
    return page.evaluate(
        """selector => {
          let el = document.querySelector(selector).parentElement;
          for (; el; el = el.parentElement) {
            const colour = getComputedStyle(el).backgroundColor;
            if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
          }
          return 'rgb(255, 255, 255)';
        }""",
        selector,
    )
