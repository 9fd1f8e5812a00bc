// Flask-Admin writes a few handlers as onclick attributes, which the portal's
// Content-Security-Policy refuses (scripts from our own origin only): without them a bulk
// action would do nothing. The same calls, bound from this file (every admin view's extra_js,
// admin.base.AdminPage), and the question our own delete button asks (data-confirm).
(function () {
  "use strict";

  // The one quoted argument of the call an onclick attribute makes, e.g.
  // "return modelActions.execute('assign');" -> "assign".
  function argument(element) {
    var match = /\('((?:[^'\\]|\\.)*)'\)/.exec(element.getAttribute("onclick") || "");
    return match ? match[1].replace(/\\(.)/g, "$1") : null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    // A button that asks first (a row's delete, banban_admin/list.html): "cancel"
    // keeps the record.
    var asking = target.closest("button[data-confirm]");
    if (asking) {
      if (!window.confirm(asking.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
      return;
    }
    // A bulk action of the list (the "选中的" menu): Flask-Admin's own handler.
    var bulk = target.closest("a[onclick*='modelActions.execute']");
    if (bulk) {
      event.preventDefault();
      window.modelActions.execute(argument(bulk));
      return;
    }
    // An inline list's add button (an item's materials).
    var add = target.closest(".inline-field > a.btn[id$='-button']");
    if (add) {
      event.preventDefault();
      window.faForm.addInlineField(add, add.id.slice(0, -"-button".length));
      return;
    }
    // Menus and filters link to "javascript:void(0)", which the CSP refuses to run: their
    // own scripts do the work, the link goes nowhere.
    if (target.closest("a[href^='javascript:']")) {
      event.preventDefault();
    }
  });
})();
