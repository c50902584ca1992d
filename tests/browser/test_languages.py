"""Every translated language in the browser (the English site is checked by the other files).

- each page of a language: its ``lang`` (and ``dir``; code and maths stay left to right),
  no console error, no request off the site, and no English sentence in what the reader
  reads: a language detector (lingua, restricted to the book's six languages) runs over the
  printed outputs and the prose of every translated page;
- the language switcher on every page of every language opens the same page in each other
  language (a static check of the built files);
- the search of each language finds each of its glossary terms on that language's chapters;
- on a translated chapter, an explorer's slider moves the frame and speaks that language.
"""
from __future__ import annotations

import html.parser
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402
import book_outputs  # noqa: E402
import glossary  # noqa: E402
from sparselib.i18n import TEXTS  # noqa: E402

from conftest import built_pages  # noqa: E402
from test_explorers import move_first_slider  # noqa: E402

MANIFEST = book.load_manifest()
SOURCE = MANIFEST["source_language"]
DIRECTION = {lang["code"]: lang.get("dir", "ltr") for lang in MANIFEST["languages"]}
TRANSLATED = [code for code in book.languages_with_pages(MANIFEST) if code != SOURCE]
LINGUA = {"en": "ENGLISH", "es": "SPANISH", "it": "ITALIAN", "fr": "FRENCH", "fa": "PERSIAN", "ko": "KOREAN"}


def site_path(lang: str, name: str) -> str:
    return f"{'' if lang == SOURCE else lang + '/'}chapters/{lang}/{name}.html"


def pages_of(lang: str) -> list[str]:
    return [site_path(lang, n) for n in book.page_names(MANIFEST) if book.page_file(lang, n) is not None]


@lru_cache(maxsize=None)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in LINGUA.values())).build()


def sentences(text: str) -> list[str]:
    """The sentences of a text a detector can judge: code-like tokens dropped, three words at least."""
    found = []
    for line in re.split(r"\n+|(?<=[.;:!?])\s+", text):
        words = [t for t in line.split() if not book_outputs.CODE_TOKEN.search(t)]
        kept = " ".join(words)
        if len(book_outputs.WORD.findall(kept)) >= 3:
            found.append(kept)
    return found


def names_or_command(sentence: str) -> bool:
    """A list of people's names (most words capitalised) or a command line is not prose."""
    words = book_outputs.WORD.findall(sentence)
    return sentence.startswith("python ") or sum(w[0].isupper() for w in words) * 2 > len(words)


# Letters of the scripts the Latin alphabet is not (Persian, Korean), and English words that
# no sentence of another language holds: on a page in such a script, a sentence with three
# letters of the script at least is not English however many Latin names it lists (skimage's
# images: astronaut, camera, coffee ...; a Hangul syllable is one letter), but an English
# word among them still is found.
OTHER_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
ENGLISH_WORDS = re.compile(r"(?<![\w'])(the|with|and|of|is|are|which|when|this|that)(?![\w'])", re.I)


def english_sentences(text: str) -> list[str]:
    """Sentences the detector reads as English: its first choice, with a confidence of 0.7 at
    least (a Spanish line naming skimage's images, astronaut, camera, coffee, scores 0.66)."""
    from lingua import Language

    d = detector()
    found = []
    for s in sentences(text):
        letters = re.findall(r"[^\W\d_]", s)
        if letters and len(OTHER_SCRIPT.findall(s)) >= 3:
            if ENGLISH_WORDS.search(s):
                found.append(s)
        elif not names_or_command(s) and d.detect_language_of(s) == Language.ENGLISH \
                and d.compute_language_confidence(s, Language.ENGLISH) >= 0.7:
            found.append(s)
    return found


# What a reader reads on a page, in two parts: printed outputs, and the prose around them.
READ = """() => {
  const art = document.querySelector('article') || document.body;
  const skip = 'pre, code, mjx-container, script, style, .sparselib-explorer, nav.course-languages, .bibliography, .citation, .bibtex-citation';
  const text = el => { const c = el.cloneNode(true); c.querySelectorAll(skip).forEach(n => n.remove()); return c.innerText; };
  const outputs = [...art.querySelectorAll('.cell_output')].map(o => o.innerText).join('\\n');
  const prose = [...art.querySelectorAll('p, li, td, th, summary, h1, h2, h3, h4, figcaption, .admonition-title')]
      .filter(el => !el.closest('.cell_output, .cell_input, pre, .citation-list, .citation, .bibliography'))
      .map(text).join('\\n');
  const ltr = [...art.querySelectorAll('pre, mjx-container')].filter(el => getComputedStyle(el).direction !== 'ltr').length;
  return {outputs, prose, lang: document.documentElement.lang, dir: document.documentElement.dir || 'ltr', ltr};
}"""

# A sentence that may stay English on every page: names of works and software in the prose.
KEPT = re.compile(r"Creative Commons|Deep Learning|Jupyter Book|Google Colab", re.I)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_pages_speak_their_language(one_page, lang):
    problems = []
    for path in pages_of(lang):
        opened = one_page(path, wait="load")
        seen = opened.page.evaluate(READ)
        if seen["lang"] != lang or seen["dir"] != DIRECTION[lang]:
            problems.append(f"{path}: lang={seen['lang']!r} dir={seen['dir']!r}")
        if seen["ltr"]:
            problems.append(f"{path}: {seen['ltr']} code or maths boxes are not left to right")
        for part in ("outputs", "prose"):
            for sentence in english_sentences(seen[part]):
                if not KEPT.search(sentence):
                    problems.append(f"{path} ({part}): English sentence {sentence!r}")
        problems += [f"{path}: {p}" for p in opened.problems]
    assert not problems, "\n".join(problems)


def test_the_detector_tells_the_languages_apart():
    """The check above can fail: it finds an English line among translated ones."""
    assert english_sentences("test accuracy 98.2%; 72 of 400 units active on average") != []
    assert english_sentences("exactitud en prueba 98.2%; 72 de 400 unidades activas en promedio") == []
    assert english_sentences("DrSAE(n_features=64) W_d (64, 128)") == []  # code is not a sentence
    # a Persian line that lists Latin names is Persian; an English word inside it is not
    assert english_sentences("10000 وصلهٔ 8x8 از تصویرهای astronaut، camera، coffee، grass و brick در skimage") == []
    assert english_sentences("همانند بازآغازی O'Donoghue و Candès and Candès، پیشنهاد شده") != []
    assert english_sentences("그룹 희소성은 유닛을 그룹으로 묶습니다") == []
    assert english_sentences("skimage astronaut, camera, coffee, grass, gravel, brick에서 뽑은 8x8 패치") == []
    assert english_sentences("the code runs faster with one thread 유닛") != []


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.inside, self.links, self.current = None, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "nav" and "course-languages" in (attrs.get("class") or ""):
            self.inside = True
        if self.inside and tag == "a":
            self.links.append((attrs["hreflang"], attrs["href"]))
        if self.inside and tag == "span" and attrs.get("aria-current") == "page":
            self.current = attrs.get("lang")

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.skipif(not TRANSLATED, reason="no translated language is built yet")
def test_switcher_opens_the_same_page_in_every_other_language():
    problems, checked = [], 0
    for lang in [SOURCE, *TRANSLATED]:
        for name in book.page_names(MANIFEST):
            if book.page_file(lang, name) is None:
                continue
            page = SITE / site_path(lang, name)
            links = parse(page)
            expected = {code for code in [SOURCE, *TRANSLATED] if code != lang and book.page_file(code, name)}
            if links.current != lang or {code for code, _ in links.links} != expected:
                problems.append(f"{page.relative_to(SITE)}: switcher {links.links} (current {links.current})")
            for code, href in links.links:
                target = (page.parent / href).resolve()
                checked += 1
                if target != (SITE / site_path(code, name)).resolve() or not target.exists():
                    problems.append(f"{page.relative_to(SITE)}: {href} is not {site_path(code, name)}")
                elif parse(target).lang != code:
                    problems.append(f"{page.relative_to(SITE)}: {href} opens a page with lang {parse(target).lang}")
    assert not problems, "\n".join(problems)
    assert checked >= 2 * sum(len(pages_of(code)) for code in TRANSLATED)


# The title of a maths solution in each language: the book's word, then the exercise's own title.
SOLUTION_TITLE = {"es": "Solución: Ejercicio", "it": "Soluzione: Esercizio", "fr": "Solution\u00a0: Exercice",
                  "fa": "راه‌حل تمرین", "ko": "풀이: 연습 문제"}


@pytest.mark.skipif(not TRANSLATED, reason="no translated language is built yet")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_solution_titles_read_as_the_language_writes_them(lang):
    """sphinx-exercise's own catalog titles French solutions "Solution de Exercice 3"; the
    book's words replace it (a static check of the built chapters)."""
    titles = []
    for page in pages_of(lang):
        text = (SITE / page).read_text(encoding="utf-8")
        titles += [html.unescape(t) for t in re.findall(r"<summary>([^<]*\d+)</summary>", text)]
    assert titles, f"no solution title on the {lang} chapters"
    wrong = [t for t in titles if not re.fullmatch(re.escape(SOLUTION_TITLE[lang]) + r" \d+", t)]
    assert not wrong, wrong


SEARCH_DONE = """() => { const s = document.querySelector('#search-results .search-summary, #search-results p');
  return s && !/^\\s*$/.test(s.textContent) && !document.querySelector('#search-progress:not(:empty)'); }"""


def search_stopwords(lang: str) -> set[str]:
    """The stop words of Sphinx's search in ``lang`` (none where Sphinx has no search for it)."""
    from importlib import import_module

    from sphinx.search import languages

    found = languages.get(lang)
    if isinstance(found, str):
        module, name = found.rsplit(".", 1)
        found = getattr(import_module(module), name)
    return set(found.stopwords) if found is not None else set()


def only_stop_words(term: str, lang: str) -> bool:
    """A term made only of the search's stop words (French "pas", the step) is dropped from
    Sphinx's index and from the query: no search can find it."""
    stop = search_stopwords(lang)
    return all(w in stop for w in term.casefold().split())


def test_only_stop_words_are_left_out_of_the_search_check():
    """The exemption above is narrow: French leaves out "pas" alone, and no term of another
    language is left out."""
    left_out = {lang: sorted({e["use"] for e in glossary.load(lang) if only_stop_words(e["use"], lang)})
                for lang in TRANSLATED}
    assert left_out.get("fr", ["pas"]) == ["pas"]
    assert all(not terms for lang, terms in left_out.items() if lang != "fr"), left_out


@pytest.mark.parametrize("lang", TRANSLATED)
def test_search_finds_every_glossary_term_in_this_languages_chapters(one_page, lang):
    missing = []
    terms = sorted({entry["use"] for entry in glossary.load(lang) if not only_stop_words(entry["use"], lang)})
    opened = one_page(f"{lang}/search.html", wait="load")
    page = opened.page
    assert opened.problems == [], opened.problems
    for term in terms:
        page.goto(f"{opened.page.url.split('?')[0]}?q={quote(term)}", wait_until="load")
        page.wait_for_function(SEARCH_DONE, timeout=30_000)
        hrefs = page.eval_on_selector_all("#search-results a", "as => as.map(a => a.getAttribute('href'))")
        if not any(f"chapters/{lang}/" in (h or "") for h in hrefs):
            missing.append(term)
    assert not missing, f"the {lang} search finds no {lang} page for {missing}"
    # each new query leaves the last page mid-load (its favicon request is aborted): after
    # the first load, what counts is no console error and nothing requested off the site
    assert opened.errors == [] and opened.outside == [], opened.problems


@pytest.mark.parametrize("lang", TRANSLATED)
def test_explorer_moves_and_speaks_the_pages_language(one_page, lang):
    words = {texts[lang] for texts in TEXTS.values()}
    english = {texts["en"] for texts in TEXTS.values()}
    pages = [p for p in pages_of(lang) if "sparselib-explorer" in (SITE / p).read_text(encoding="utf-8")]
    assert pages, f"no {lang} page holds an explorer"
    opened = one_page(pages[0], wait="load")
    root = opened.page.locator(".sparselib-explorer").first
    assert root.get_attribute("lang") == lang
    label = root.locator("input[type=range]").first.get_attribute("aria-label")
    title = root.locator("strong, [id$='-title']").first.inner_text().strip()
    assert label in words and label not in english - words, label
    assert title in words, title
    src0, alt0, src1, alt1 = move_first_slider(opened.page)
    assert src1 != src0 and alt1 != alt0
    assert english_sentences(alt1) == [], alt1
    assert opened.problems == [], opened.problems


# Languages written in a script the Latin faces do not hold, and that script's characters.
SCRIPTS = {"fa": r"\p{Script=Arabic}", "ko": r"\p{Script=Hangul}"}
NON_LATIN = [lang for lang in TRANSLATED if lang in SCRIPTS]

# Every letter of the script on the page, each drawn alone on a canvas in the prose's font,
# and drawn beside a character no font has (U+0378, unassigned): a letter without a glyph is
# drawn as that same missing-glyph box, so it has the box's pixels and width. Returns the
# letters whose pixels match the box, the number of distinct pictures among the letters, and
# the fonts the browser used for the prose (CDP below).
GLYPHS = r"""(pattern) => {
  const el = document.querySelector('article p') || document.body;
  const font = getComputedStyle(el).font;
  const prose = [...document.querySelectorAll('article p, article li, article h1, article h2')]
      .filter(e => !e.closest('pre, code, .cell_output, mjx-container')).map(e => e.innerText).join(' ');
  const letters = [...new Set(prose.match(new RegExp('(?!\\p{M})' + pattern, 'gu')) || [])];
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = ch => { ctx.clearRect(0, 0, 64, 64); ctx.font = font.replace(/\d+(\.\d+)?px/, '40px');
      ctx.fillText(ch, 8, 48); const d = ctx.getImageData(0, 0, 64, 64).data;
      let h = 0; for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i]) >>> 0;
      return {hash: h, width: ctx.measureText(ch).width}; };
  const box = draw('\u0378');
  const drawn = letters.map(ch => ({ch, ...draw(ch)}));
  return {font, letters: letters.length, box: box.width,
          boxes: drawn.filter(d => d.hash === box.hash && d.width === box.width).map(d => d.ch),
          pictures: new Set(drawn.map(d => d.hash)).size};
}"""


def prose_fonts(page) -> dict:
    """The faces Chromium drew the first paragraphs' text with (CDP's CSS.getPlatformFontsForNode),
    family -> glyphs drawn: what was used, not what the stylesheet asked for."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "article p"})["nodeIds"][:20]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
    cdp.detach()
    return used


@pytest.mark.skipif(not NON_LATIN, reason="no language in a non-Latin script is built yet")
@pytest.mark.parametrize("lang", NON_LATIN)
def test_non_latin_letters_are_drawn_with_an_installed_face(one_page, lang):
    """No tofu: every letter of the script on the landing page and the first chapter has a
    glyph (its picture differs from the missing-glyph box, and letters differ from each
    other), and a face named in the page's font stack drew the prose."""
    problems = []
    for path in (site_path(lang, MANIFEST["root"]), site_path(lang, MANIFEST["chapters"][0])):
        opened = one_page(path, wait="load")
        page = opened.page
        page.evaluate("document.fonts.ready")
        seen = page.evaluate(GLYPHS, SCRIPTS[lang])
        stack = [f.strip().strip('"') for f in page.evaluate(
            "getComputedStyle(document.querySelector('article p')).fontFamily").split(",")]
        used = prose_fonts(page)
        if seen["letters"] < 20:
            problems.append(f"{path}: only {seen['letters']} letters of the script in the prose")
        if seen["boxes"]:
            problems.append(f"{path}: {len(seen['boxes'])} letters drawn as the missing-glyph box: {seen['boxes'][:20]}")
        if seen["pictures"] < 0.9 * seen["letters"]:
            problems.append(f"{path}: {seen['letters']} letters but {seen['pictures']} distinct pictures")
        named = {family: n for family, n in used.items() if family in stack}
        if sum(named.values()) < 0.5 * sum(used.values()):
            problems.append(f"{path}: the prose was drawn in {used}, not in its stack {stack}")
        problems += [f"{path}: {p}" for p in opened.problems]
    assert not problems, "\n".join(problems)


def test_the_glyph_check_sees_missing_glyphs(one_page):
    """The check above can fail: letters no installed face has (Hentaigana, U+1B001 on, which
    neither fonts-noto-core nor fonts-noto-cjk holds) put into a paragraph come out as boxes."""
    opened = one_page(site_path(SOURCE, MANIFEST["root"]), wait="load")
    opened.page.evaluate("""() => { const p = document.createElement('p');
        p.textContent = Array.from({length: 30}, (_, i) => String.fromCodePoint(0x1B001 + i)).join(' ');
        document.querySelector('article').prepend(p); }""")
    seen = opened.page.evaluate(GLYPHS, r"\p{Script=Hiragana}")
    assert seen["letters"] == 30
    assert len(seen["boxes"]) == 30 and seen["pictures"] == 1, seen


RTL = [lang for lang in TRANSLATED if DIRECTION[lang] == "rtl"]

# Each printed line with right-to-left words, in the output boxes of a page: where the line's
# glyphs end on the right, against the box's content edge, and where a code/tensor line starts
# on the left (per-line direction: unicode-bidi: plaintext and the build's U+200F).
OUTPUT_LINES = r"""() => {
  const lines = [];
  for (const pre of document.querySelectorAll('.cell_output pre')) {
    const node = [...pre.childNodes].find(n => n.nodeType === 3) || pre.firstChild?.firstChild;
    if (!node || node.nodeType !== 3) continue;
    const s = getComputedStyle(pre), box = pre.getBoundingClientRect();
    const right = box.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth);
    const left = box.left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth);
    let start = 0;
    for (const line of node.textContent.split('\n')) {
      if (line.trim()) {
        const r = document.createRange(); r.setStart(node, start); r.setEnd(node, start + line.length);
        const rects = [...r.getClientRects()].filter(q => q.width > 0);
        if (rects.length) lines.push({rtl: /[\u0600-\u06FF]/.test(line), text: line.slice(0, 40),
            gapRight: right - Math.max(...rects.map(q => q.right)), gapLeft: Math.min(...rects.map(q => q.left)) - left,
            bidi: s.unicodeBidi});
      }
      start += line.length + 1;
    }
  }
  return lines;
}"""


@pytest.mark.skipif(not RTL, reason="no right-to-left language is built yet")
@pytest.mark.parametrize("lang", RTL)
def test_right_to_left_output_lines_read_right_to_left(one_page, lang):
    """A printed line with Persian words sits against the right edge of its box (it is laid
    out right to left), and a line without them against the left edge."""
    opened = one_page(site_path(lang, MANIFEST["chapters"][0]), wait="load")
    lines = opened.page.evaluate(OUTPUT_LINES)
    rtl = [line for line in lines if line["rtl"]]
    ltr = [line for line in lines if not line["rtl"]]
    assert len(rtl) >= 10 and ltr, (len(rtl), len(ltr))
    assert all(line["bidi"] == "plaintext" for line in lines)
    assert [line for line in rtl if line["gapRight"] > 2] == []
    assert [line for line in ltr if line["gapLeft"] > 2] == []
    assert opened.problems == []
