/*
 * The widget manager typesets widget labels with MathJax 2's API,
 * MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]), whenever window.MathJax
 * exists. The book loads MathJax 3, which has no Hub, so a page with both math
 * and widgets would throw "Cannot read properties of undefined (reading 'Queue')".
 * This file, loaded just before the widget manager on pages with widgets, gives
 * MathJax 3 a Hub that forwards those calls to MathJax.typesetPromise.
 */
(function () {
  "use strict";
  var config = window.MathJax;
  if (config === undefined) {
    return; // no math on this page: the widget manager skips typesetting
  }

  function hub() {
    return {
      Queue: function (job) {
        var mathjax = window.MathJax;
        var element = Array.isArray(job) ? job[2] : undefined;
        if (!mathjax || !mathjax.startup || !mathjax.startup.promise) {
          return;
        }
        mathjax.startup.promise
          .then(function () {
            return mathjax.typesetPromise(element ? [element] : undefined);
          })
          .catch(function (error) {
            console.warn("MathJax could not typeset a widget label:", error);
          });
      },
    };
  }

  // Before MathJax 3 has loaded, window.MathJax is its configuration object.
  config.Hub = hub();
  config.startup = config.startup || {};
  var ready = config.startup.ready;
  config.startup.ready = function () {
    if (ready) {
      ready();
    } else {
      window.MathJax.startup.defaultReady();
    }
    window.MathJax.Hub = hub();
  };
})();
