// 窗口受理 and 代为预约 (admin/window.py): as the window types an ID number, its checksum is
// checked by the server and the person's earlier cases and bookings at the staff member's places
// are shown beside the form.
(function () {
  "use strict";

  // The booking slip's print button (booking_slip.html).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var input = document.getElementById("id_number");
  if (!input) {
    return;
  }
  var check = document.getElementById("id-number-check");
  var history = document.getElementById("person-history");
  var token = input.form.querySelector("input[name=csrf_token]").value;
  var asked = "";

  function text(element, value, css) {
    element.textContent = value;
    element.className = element.className.replace(/ ?text-\w+/g, "") + " " + css;
  }

  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (value) {
      var td = document.createElement("td");
      td.textContent = value;
      tr.appendChild(td);
    });
    return tr;
  }

  function show(answer) {
    if (!answer.ok) {
      text(check, answer.messages.join("；"), "text-danger");
      text(history, "", "text-muted");
      return;
    }
    text(check, "身份证号码校验通过，出生日期 " + answer.birth_date, "text-success");
    history.textContent = "";
    if (!answer.cases.length && !answer.bookings.length) {
      text(history, "在本场所没有办件和预约记录。", "text-muted");
      return;
    }
    history.appendChild(table("person-cases", "办件",
      ["办件编号", "事项", "场所", "方式", "状态", "渠道", "申请时间"],
      answer.cases.map(function (c) {
        return [c.number, c.item, c.place, c.help_type, c.status, c.channel, c.created_at];
      })));
    history.appendChild(table("person-bookings", "预约",
      ["预约码", "时段", "事项", "场所", "状态", "渠道"],
      answer.bookings.map(function (b) {
        return [b.code, b.slot, b.item, b.place, b.status, b.channel];
      })));
  }

  function table(css, title, header, rows) {
    var box = document.createElement("div");
    var heading = document.createElement("h6");
    heading.textContent = title + "（" + rows.length + "）";
    box.appendChild(heading);
    if (rows.length) {
      var element = document.createElement("table");
      element.className = "table table-sm " + css;
      element.appendChild(row(header));
      rows.forEach(function (cells) { element.appendChild(row(cells)); });
      box.appendChild(element);
    }
    return box;
  }

  function lookUp() {
    var value = input.value.trim().toUpperCase();
    if (value === asked) {
      return;
    }
    if (value.length !== 18) {
      text(check, value.length ? "还需 " + (18 - value.length) + " 位" : "", "text-muted");
      return;
    }
    asked = value;
    var body = new URLSearchParams({id_number: value, csrf_token: token});
    fetch(input.getAttribute("data-lookup-url"), {method: "POST", body: body,
                                                  credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (answer) { if (asked === value) { show(answer); } })
      .catch(function () { text(check, "暂时无法校验，请稍后再试", "text-warning"); });
  }

  input.addEventListener("input", lookUp);
  lookUp();
})();
