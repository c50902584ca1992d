"""Write tools/static/course_icons.css: the theme's icons as inline SVG masks.

Run from the repository root: `python tools/make_icons.py` (the CSS is committed).
"""
S = "fill='none' stroke='%23000' stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'"
ICONS = {
    "bars": f"<path {S} d='M2 4h12M2 8h12M2 12h12'/>",
    "list": f"<path {S} d='M6 4h8M6 8h8M6 12h8'/><circle cx='2.5' cy='4' r='1.3'/><circle cx='2.5' cy='8' r='1.3'/><circle cx='2.5' cy='12' r='1.3'/>",
    "magnifying-glass": f"<circle {S} cx='6.5' cy='6.5' r='4.5'/><path {S} stroke-width='2.2' d='M10 10l4 4'/>",
    "sun": f"<circle cx='8' cy='8' r='3'/><path {S} d='M8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1'/>",
    "moon": "<path d='M10.5 1.5a6.5 6.5 0 1 0 4 10.2A5.2 5.2 0 0 1 10.5 1.5z'/>",
    "circle-half-stroke": f"<circle {S} cx='8' cy='8' r='6'/><path d='M8 2a6 6 0 0 0 0 12z'/>",
    "download": f"<path {S} d='M8 2v8M4.5 6.5L8 10l3.5-3.5M2.5 13.5h11'/>",
    "expand": f"<path {S} d='M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4'/>",
    "file": f"<path {S} d='M4 1.5h5l3.5 3.5v9.5h-8.5zM9 1.5V5h3.5'/>",
    "file-pdf": f"<path {S} d='M4 1.5h5l3.5 3.5v9.5h-8.5zM9 1.5V5h3.5'/><rect x='2' y='8' width='9' height='4' rx='1'/>",
    # The repository button: a branch (not the GitHub mark; the button is named by its title).
    "github": f"<circle cx='4' cy='3' r='1.8'/><circle cx='4' cy='13' r='1.8'/><circle cx='12' cy='5' r='1.8'/><path {S} d='M4 4.5v7M12 6.5c0 3.5-8 2-8 5'/>",
    "rocket": f"<path d='M8 1c3 2 4.2 5 3.2 9H4.8C3.8 6 5 3 8 1z'/><path {S} d='M5 10l-2 3.5h2.5M11 10l2 3.5h-2.5M8 12v2.5'/>",
    "angle-left": f"<path {S} stroke-width='2' d='M10 3L5 8l5 5'/>",
    "angle-right": f"<path {S} stroke-width='2' d='M6 3l5 5-5 5'/>",
    "arrow-up": f"<path {S} d='M8 14V3M3.5 7.5L8 3l4.5 4.5'/>",
    "xmark": f"<path {S} stroke-width='2' d='M3 3l10 10M13 3L3 13'/>",
}
lines = [
    "/* The theme's icons as inline SVG masks drawn for this book (tools/course_theme.py drops",
    "   the theme's 1.5 MB Font Awesome script). Each icon takes the text colour (dark mode too).",
    "   An fa-* icon not listed here still renders from the theme's CSS and web font. */",
]
sel = ", ".join(f".fa-{n}" for n in ICONS)
lines.append(f"{sel} {{ display: inline-block; width: 1em; height: 1em; vertical-align: -0.125em; "
             "flex-shrink: 0; background-color: currentColor; -webkit-mask: var(--course-icon) center / contain no-repeat; "
             "mask: var(--course-icon) center / contain no-repeat; }")
lines.append(", ".join(f".fa-{n}::before" for n in ICONS) + " { content: none !important; }")
# The theme shows the current colour mode's icon with display: inline (no size for an empty
# element); the same selectors, later, make it an inline block.
lines.append(", ".join(f'html[data-mode="{m}"] .theme-switch-button .theme-switch[data-mode="{m}"]'
                       for m in ("light", "dark", "auto")) + " { display: inline-block; }")
for name, body in ICONS.items():
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>{body}</svg>"
    data = svg.replace("<", "%3C").replace(">", "%3E").replace('"', "'")
    lines.append(f'.fa-{name} {{ --course-icon: url("data:image/svg+xml,{data}"); }}')
open("tools/static/course_icons.css", "w").write("\n".join(lines) + "\n")
