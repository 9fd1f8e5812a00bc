// 窗口叫号 (admin/queue.py): the window's keys. A plain letter presses the button that shows it
// (data-key), unless the focus is in a field being typed into; 排队概况 reloads itself every few
// seconds while nobody is typing.
(function () {
  "use strict";

  function typing() {
    var active = document.activeElement;
    return active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing()) {
      return;
    }
    var button = document.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  var floor = document.querySelector("[data-refresh-seconds]");
  if (floor) {
    var seconds = parseInt(floor.getAttribute("data-refresh-seconds"), 10) || 5;
    window.setInterval(function () {
      if (!typing()) {
        window.location.reload();
      }
    }, seconds * 1000);
  }
}());
