// Loaded between require.js and the widget manager (nb_ipywidgets_js in _config.yml).
// The manager finds its own fonts relative to its RequireJS module path; point that path
// at the copy this site serves, so nothing is requested from elsewhere.
(function () {
  var root = document.documentElement.dataset.content_root || "";
  var local = new URL(root + "_static/widgets", document.baseURI).href;
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": local } });
})();
