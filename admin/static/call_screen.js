// 叫号屏 (admin/screen.py): polls the place's state every second and redraws what changed, so
// a call shows within two seconds; the 全屏 button asks the browser for full screen.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-state-url");
  var shown = "";

  function cell(tag, text, css) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (css) {
      element.className = css;
    }
    return element;
  }

  function draw(state) {
    var key = JSON.stringify([state.calls, state.queues]);
    if (key === shown) {
      return;
    }
    var latest = state.calls[0];
    document.getElementById("latest-number").textContent = latest ? latest.number : "—";
    document.getElementById("latest-window").textContent = latest ? latest.window : "";
    var list = document.getElementById("calls");
    list.textContent = "";
    state.calls.slice(1).forEach(function (call) {
      var item = document.createElement("li");
      item.appendChild(cell("span", call.number, "number"));
      item.appendChild(cell("span", call.window, "window"));
      list.appendChild(item);
    });
    var table = document.getElementById("queues");
    table.textContent = "";
    state.queues.forEach(function (queue) {
      var row = document.createElement("tr");
      row.appendChild(cell("td", queue.code + " " + queue.name));
      row.appendChild(cell("td", String(queue.waiting), "count"));
      table.appendChild(row);
    });
    if (shown && latest) {
      body.classList.remove("flash");
      void body.offsetWidth;  // restart the highlight
      body.classList.add("flash");
    }
    shown = key;
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = function () {
      if (request.status === 200) {
        draw(JSON.parse(request.responseText));
      }
      window.setTimeout(poll, 1000);
    };
    request.onerror = function () { window.setTimeout(poll, 1000); };
    request.send();
  }

  document.getElementById("fullscreen").addEventListener("click", function () {
    var root = document.documentElement;
    if (root.requestFullscreen) {
      root.requestFullscreen();
    }
  });
  window.setTimeout(poll, 1000);
}());
