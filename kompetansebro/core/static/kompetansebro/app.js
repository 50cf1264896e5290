// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // After a failed submit, move focus to the error summary so keyboard and screen-reader users start there.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".ds-error-summary[data-kb-focus]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      focusErrorSummary(document);
    });
  } else {
    focusErrorSummary(document);
  }

  // htmx swaps in new content (filter results, forms): focus a new error summary there too.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
