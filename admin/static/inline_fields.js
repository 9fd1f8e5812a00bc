// Flask-Admin writes the "添加 材料" button of an inline list with an onclick attribute, which
// the portal's Content-Security-Policy refuses (scripts from our origin only): the same call,
// bound from our own file.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".inline-field > a.btn[id$='-button']");
  if (!button) {
    return;
  }
  event.preventDefault();
  faForm.addInlineField(button, button.id.slice(0, -"-button".length));
});
