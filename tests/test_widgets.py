"""Explorers: the static rendering (frames, sliders, alt texts, size) and the live mimebundle."""
import base64
import json
import os
import re
from html.parser import HTMLParser

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import i18n, widgets  # noqa: E402
from sparselib.groups import Tree  # noqa: E402
from sparselib.models.conv import ConvGroupSparseAutoencoder  # noqa: E402
from sparselib.models.drsae import DrSAE  # noqa: E402

WORDS = re.compile(r"(?<![\\$a-z])[A-Za-z]{3,}")
PNG = b"\x89PNG\r\n\x1a\n"


def tiny_drsae_args():
    torch.manual_seed(0)
    return DrSAE(16, 12, 3, n_iter=4, init="lista"), torch.rand(30, 16), torch.arange(30) % 3


def tiny_conv():
    torch.manual_seed(0)
    return ConvGroupSparseAutoencoder(1, 4, 3, group_size=2, pool=2, pool_stride=1, padding=1,
                                      scale_init=1.0)


def book_arguments() -> dict:
    """The models and data the explorers once loaded themselves, now passed in as a chapter
    does: the digits (a centred test digit and 128 centred training digits as unit-norm atoms;
    the digits' test split), the committed DrSAE, and 8 random 3 × 3 conv filters in groups
    of two (seed 0) with the first test digit. Explorers without data take no argument."""
    from sparselib import recipes
    from sparselib.data import load_digits

    split = load_digits(verbose=False)
    mean = split.X_train.double().mean(0)
    W_d = torch.nn.functional.normalize((split.X_train[:128].double() - mean).T, dim=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        conv = ConvGroupSparseAutoencoder(1, 8, 3, group_size=2, pool=2, pool_stride=1, padding=1,
                                          scale_init=1.0)
    return {
        "SparseCodeExplorer": (split.X_test[1].double() - mean, W_d),
        "DrSAEExplorer": (recipes.load(recipes.checkpoint("drsae-digits.pt")), split.X_test),
        "PoolingExplorer": (conv, split.X_test[0].reshape(1, 8, 8)),
    }


# Small grids: every explorer, a few frames each (the defaults are checked once, below).
SMALL = {
    "penalty": lambda lang="en": widgets.PenaltyExplorer(lams=[0.0, 0.5, 1.5], lang=lang),
    "code": lambda lang="en": widgets.SparseCodeExplorer(
        torch.eye(6)[0] + 0.5 * torch.eye(6)[3],
        torch.nn.functional.normalize(torch.eye(6, 9) + 0.1, dim=0),
        lams=[0.05, 0.3, 1.0], image_shape=(2, 3), lang=lang),
    "drsae": lambda lang="en": widgets.DrSAEExplorer(*tiny_drsae_args(), samples=(0, 1),
                                                     image_shape=(4, 4), lang=lang),
    "group": lambda lang="en": widgets.GroupSparsityExplorer(side=4, sizes=(1, 2), lams=[0.1, 1.0],
                                                             n_features=12, lang=lang),
    "inhibition": lambda lang="en": widgets.InhibitionExplorer(tree=Tree.complete(2, 2), scales=[0.0, 1.0],
                                                               n_inputs=6, samples=2, n_features=10,
                                                               lang=lang),
    "pooling": lambda lang="en": widgets.PoolingExplorer(tiny_conv(), torch.rand(1, 6, 6),
                                                         shifts=[0, 1], windows=[1, 2], lang=lang),
}


class Page(HTMLParser):
    """Collects the elements the checks need from one explorer's text/html."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.scripts, self._in = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)

    def handle_data(self, data):
        if self._in is not None:
            self.scripts.append((self._in, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def all(self, tag):
        return [a for t, a in self.tags if t == tag]

    def data(self):
        return json.loads(next(d for a, d in self.scripts if a.get("type") == "application/json"))


@pytest.fixture(scope="module", params=sorted(SMALL))
def rendered(request):
    explorer = SMALL[request.param]()
    return explorer, explorer.to_html()


def test_one_frame_per_grid_point(rendered):
    explorer, text = rendered
    data = Page(text).data()
    n = 1
    for s in explorer.sliders:
        n *= len(s.values)
    assert len(explorer.grid()) == len(data["frames"]) == n
    assert data["sizes"] == [len(s.values) for s in explorer.sliders]
    assert len(set(data["frames"])) > 1                      # the frames differ
    for uri in data["frames"]:
        assert uri.startswith("data:image/png;base64,")
        assert base64.b64decode(uri.split(",", 1)[1]).startswith(PNG)


def test_frames_follow_the_grid_order(rendered):
    """Frame k is the figure of grid point k (row-major: the last slider varies fastest)."""
    explorer, text = rendered
    data = Page(text).data()
    last = explorer.grid()[-1]
    png, result = explorer.frame(**last)
    assert data["frames"][-1] == "data:image/png;base64," + base64.b64encode(png).decode()
    assert data["words"]["en"]["alts"][-1] == explorer.alt(result, last, "en")


def test_sliders_are_labelled_range_inputs_and_the_frame_has_alt_text(rendered):
    explorer, text = rendered
    page = Page(text)
    inputs = page.all("input")
    assert len(inputs) == len(explorer.sliders)
    for a, s in zip(inputs, explorer.sliders):
        assert a["type"] == "range" and a["min"] == "0" and a["max"] == str(len(s.values) - 1)
        assert a["aria-label"] == i18n.t(s.key, "en")
        assert a["aria-valuetext"] == s.label(s.default)
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))
    labels = page.all("label")
    assert [lab["for"] for lab in labels] == [a["id"] for a in inputs]
    (img,) = page.all("img")
    assert img["alt"] and any(ch.isdigit() for ch in img["alt"])
    assert img["src"] in page.data()["frames"]


def test_alt_texts_in_every_language_with_numbers(rendered):
    explorer, text = rendered
    words = Page(text).data()["words"]
    assert set(words) == set(i18n.LANGUAGES)
    for lang, w in words.items():
        assert len(w["alts"]) == len(explorer.grid())
        assert all(re.search(r"\d", a) for a in w["alts"])
        assert w["labels"] == [i18n.t(s.key, lang) for s in explorer.sliders]
        assert w["dir"] == ("rtl" if lang == "fa" else "ltr")
    # the alt text changes with the sliders
    assert len(set(words["en"]["alts"])) == len(words["en"]["alts"])


def test_the_script_listens_to_input_and_change(rendered):
    _, text = rendered
    (code,) = [d for a, d in Page(text).scripts if not a]
    assert '"input"' in code and '"change"' in code
    assert "document.documentElement.lang" in code
    assert "</script" not in Page(text).scripts[0][1]           # the JSON cannot close its tag


def test_figures_carry_maths_and_numbers_only(rendered):
    explorer, _ = rendered
    values = explorer.defaults()
    fig = explorer.figure(explorer.compute(**values), values)
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    for text in texts:
        assert not WORDS.search(re.sub(r"\$[^$]*\$", "", text)), text


def test_two_explorers_on_one_page_do_not_share_ids():
    a, b = SMALL["penalty"](), SMALL["penalty"]()
    ids_a = {x["id"] for _, x in Page(a.to_html()).tags if "id" in x}
    ids_b = {x["id"] for _, x in Page(b.to_html()).tags if "id" in x}
    assert ids_a and not ids_a & ids_b


def test_persian_container_is_rtl_with_ltr_plots_and_values():
    page = Page(SMALL["penalty"]("fa").to_html())
    root = page.tags[0][1]
    assert root["dir"] == "rtl" and root["lang"] == "fa"
    assert all(a["dir"] == "ltr" for a in page.all("input") + page.all("output"))
    img_parent = page.tags[[t for t, _ in page.tags].index("img") - 1][1]
    assert img_parent == {"dir": "ltr"}
    assert page.all("input")[0]["aria-label"] == i18n.t("penalty.lam", "fa")
    assert page.all("img")[0]["alt"].startswith("λ = ")


def test_mimebundle_holds_the_static_html_and_the_live_widget_view():
    pytest.importorskip("ipywidgets")
    explorer = SMALL["group"]()
    bundle = explorer._repr_mimebundle_()
    assert "text/html" in bundle and "<input type=\"range\"" in bundle["text/html"]
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget().model_id
    assert bundle["text/plain"].startswith("GroupSparsityExplorer(")


def test_live_widget_updates_the_figure_when_a_slider_moves():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = SMALL["group"]()
    box = explorer.widget()
    sliders = [c for c in box.children if isinstance(c, ipywidgets.SelectionSlider)]
    image = next(c for c in box.children if isinstance(c, ipywidgets.Image))
    assert [s.description for s in sliders] == [i18n.t("group.size", "en"), i18n.t("group.lam", "en")]
    before = bytes(image.value)
    assert before.startswith(PNG)
    assert sliders[1].value == 1                              # λ = 1.0 at first
    sliders[1].value = 0                                      # λ: 1.0 -> 0.1
    after = bytes(image.value)
    assert after != before
    png, _ = explorer.frame(size=2, lam=0.1)
    assert after == png


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="The 'lang' parameter of PenaltyExplorer must be one of"):
        widgets.PenaltyExplorer(lang="de")


@pytest.mark.slow
def test_default_explorers_fit_on_one_page():
    """All six explorers with their default grids, on the book's data (book_arguments),
    together stay under the 3 MB page limit."""
    sizes, arguments = {}, book_arguments()
    for cls in (widgets.PenaltyExplorer, widgets.SparseCodeExplorer, widgets.DrSAEExplorer,
                widgets.GroupSparsityExplorer, widgets.InhibitionExplorer, widgets.PoolingExplorer):
        explorer = cls(*arguments.get(cls.__name__, ()))
        text = explorer.to_html()
        assert len(Page(text).data()["frames"]) == len(explorer.grid()) >= 10
        sizes[cls.__name__] = len(text.encode())
    assert sum(sizes.values()) <= widgets.MAX_HTML_BYTES, sizes


def test_pooling_explorer_default_is_small_and_starts_at_zero_shift():
    explorer = widgets.PoolingExplorer(*book_arguments()["PoolingExplorer"])
    assert explorer.defaults() == {"shift": 0, "window": 2}
    text = explorer.to_html()
    assert len(Page(text).data()["frames"]) == len(explorer.grid()) == 15
    assert len(text.encode()) < 400 * 2**10
    values = {"shift": 0, "window": 2}
    r = explorer.compute(**values)
    assert "0.00" in explorer.alt(r, values)                  # no change at s = 0


def test_pooling_explorer_checks_its_arguments():
    with pytest.raises(TypeError, match="The 'model' parameter of PoolingExplorer must be a "
                                        "ConvGroupSparseAutoencoder"):
        widgets.PoolingExplorer(torch.nn.Linear(2, 2), torch.rand(1, 6, 6))
    with pytest.raises(ValueError, match=r"The 'x' parameter of PoolingExplorer must have shape \(1, H, W\)"):
        widgets.PoolingExplorer(tiny_conv(), torch.rand(2, 6, 6))


def test_inhibition_explorer_names_its_term_and_separates_branches():
    """The title says which inhibition term it shows (½|z|ᵀV|z|); α = 0 is plain L1 and a
    strong α leaves no co-active pair on different branches."""
    explorer = widgets.InhibitionExplorer(scales=[0.0, 1.0], n_inputs=12, samples=1)
    for lang in i18n.LANGUAGES:
        assert "½|z|ᵀV|z|" in i18n.t("inhibition.title", lang)
        assert "α" in i18n.t("inhibition.scale", lang)
    free, strong = explorer.compute(0.0, 0), explorer.compute(1.0, 0)
    assert free.off_branch > 0 and strong.off_branch == 0
    assert strong.on_branch > 0
    assert "α = 1.00" in explorer.alt(strong, {"scale": 1.0, "sample": 0})


def test_drsae_explorer_shows_prediction_and_accuracy_over_k():
    from sparselib.analysis import accuracy_by_iteration

    model, X, y = tiny_drsae_args()
    explorer = widgets.DrSAEExplorer(model, X, y, samples=(0, 1), image_shape=(4, 4))
    torch.testing.assert_close(explorer.accuracy, accuracy_by_iteration(model, X, y))
    frame = explorer.compute(2, 1)
    with torch.no_grad():
        expected = int(model.classify(model(X[1:2]).codes[1]).argmax())
    assert explorer.predicted(frame) == expected
    alt = explorer.alt_values(frame, {"t": 2, "sample": 1}, "en")
    assert alt["pred"] == expected and alt["acc"] == f"{100 * float(explorer.accuracy[1]):.1f}"
    assert widgets.DrSAEExplorer(model, X, None, samples=(0,), image_shape=(4, 4)).accuracy is None
