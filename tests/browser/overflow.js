// What sticks out of a page, measured in the browser (tests/browser/test_overflow.py).
//
// A box "overflows" when what a reader sees in it (elements and text, measured by their
// rectangles) reaches past its right inner edge. scrollWidth alone is not enough: MathJax
// keeps an invisible copy of each formula for screen readers (mjx-assistive-mml) that is
// wider than the glyphs and would make every inline formula look clipped.
//
// Returns the page's own scroll widths, the clipped boxes (overflow-x hidden/clip with
// visible content past their edge), the scroll boxes (overflow-x auto/scroll with visible
// content past their edge) and the elements whose right edge passes the viewport outside
// any such box.
() => {
  const vw = window.innerWidth;
  const SCROLLS = new Set(["auto", "scroll"]);
  const CLIPS = new Set(["hidden", "clip"]);
  // Not content a reader sees: screen-reader copies of maths, visually hidden labels.
  const INVISIBLE = "mjx-assistive-mml, .visually-hidden, .sr-only";
  const shown = (el) => {
    if (el.closest(INVISIBLE) !== null || el.getClientRects().length === 0) return false;
    return getComputedStyle(el).visibility !== "hidden";
  };
  // The rightmost visible pixel inside `box` (elements and text), in viewport coordinates.
  const contentRight = (box) => {
    let right = -Infinity;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => {
        if (n.nodeType === Node.ELEMENT_NODE) {
          if (n.matches(INVISIBLE) || getComputedStyle(n).display === "none") return NodeFilter.FILTER_REJECT;
          return NodeFilter.FILTER_ACCEPT;
        }
        return n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      },
    });
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      let rects;
      if (n.nodeType === Node.TEXT_NODE) { range.selectNodeContents(n); rects = range.getClientRects(); }
      else if (getComputedStyle(n).visibility === "hidden") continue;
      else rects = n.getClientRects();
      for (const r of rects) if (r.width > 0 && r.right > right) right = r.right;
    }
    return right;
  };
  const innerRight = (el) => el.getBoundingClientRect().left + el.clientLeft + el.clientWidth;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    const classes = Array.from(el.classList).filter((c) => !c.startsWith("CtxtMenu")).slice(0, 3);
    if (classes.length) name += "." + classes.join(".");
    let text = el.textContent;
    const mml = el.querySelector("mjx-assistive-mml");
    if (el.matches("mjx-container") && mml) text = mml.textContent;  // the formula, not glyph soup
    return {element: name, text: text.replace(/\s+/g, " ").trim().slice(0, 70)};
  };
  // What a box holds: display maths, a table, a cell's printed output, code, or other.
  const kind = (el) => {
    if (el.matches("mjx-container[display='true']") || el.querySelector("mjx-container[display='true']")) return "math";
    if (el.matches("span.math")) return "math";  // an inline formula wider than a phone's line
    if (el.matches(".pst-scrollable-table-container, .table-wrapper") || el.querySelector(":scope > table")) return "table";
    if (el.closest(".cell_output, .output")) return "output";
    if (el.closest(".cell_input, div.highlight, pre")) return "code";
    return "other";
  };
  const boxes = [];
  const clipped = [];
  const beyond = [];
  for (const el of document.body.querySelectorAll("*")) {
    // MathJax's own layout boxes (stretchy delimiters, rules) clip by design; the formula
    // as a whole (mjx-container) and everything around it is measured.
    if (el.parentElement && el.parentElement.closest("mjx-container")) continue;
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    const box = SCROLLS.has(s.overflowX) ? "scroll" : CLIPS.has(s.overflowX) ? "clip" : null;
    if (box && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1) {
      const past = contentRight(el) + el.scrollLeft - innerRight(el);
      if (past > 1) {
        const entry = {...describe(el), kind: kind(el), overflow: s.overflowX,
                       box_px: el.clientWidth, past_px: Math.round(past)};
        (box === "scroll" ? boxes : clipped).push(entry);
      }
    }
    const right = el.getBoundingClientRect().right;
    if (right > vw + 1 && s.position !== "fixed") {
      let inBox = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (SCROLLS.has(o) || CLIPS.has(o)) { inBox = true; break; }
      }
      if (!inBox) beyond.push({...describe(el), right_px: Math.round(right)});
    }
  }
  return {
    inner_width: vw,
    document_scroll_width: document.documentElement.scrollWidth,
    body_scroll_width: document.body.scrollWidth,
    scroll_boxes: boxes, clipped: clipped, beyond_viewport: beyond,
    code_blocks: document.querySelectorAll("main div.highlight pre, main .cell_output pre").length,
    display_maths: document.querySelectorAll("main mjx-container[display='true']").length,
  };
}
