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
    text(check, "身份证号码校验通过，出生日期 " + answer.birth_date +
      (answer.special_group ? "；特殊群体（可用保留号源、优先办理）" +
        (answer.special_groups.length ? "：" + answer.special_groups.join("、") : "：老年人") : ""),
      "text-success");
    history.textContent = "";
    if (!answer.cases.length && !answer.bookings.length && !answer.authorisations.length) {
      text(history, "在本场所没有办件和预约记录。", "text-muted");
      return;
    }
    history.appendChild(table("person-cases", "办件",
      ["办件编号", "事项", "场所", "方式", "状态", "渠道", "申请时间"],
      answer.cases.map(function (c) {
        return [c.number, c.item, c.place, c.help_type, c.status, c.channel, c.created_at];
      })));
    if (answer.authorisations.length) {
      history.appendChild(authorisations(answer));
    }
    history.appendChild(table("person-bookings", "预约",
      ["预约码", "时段", "事项", "场所", "状态", "渠道"],
      answer.bookings.map(function (b) {
        return [b.code, b.slot, b.item, b.place, b.status, b.channel];
      })));
  }

  // 亲友代办 requests naming this person: confirmed here after seeing the ID and the signed
  // authorisation, what was seen written in the note.
  function authorisations(answer) {
    var box = document.createElement("div");
    box.className = "person-authorisations mb-2";
    var heading = document.createElement("h6");
    heading.textContent = "待确认的亲友代办请求（" + answer.authorisations.length + "）";
    box.appendChild(heading);
    answer.authorisations.forEach(function (a) {
      var line = document.createElement("div");
      line.className = "form-inline mb-1";
      line.setAttribute("data-relative", a.id);
      var label = document.createElement("span");
      label.className = "mr-2";
      label.textContent = a.requester + " 请求代 " + a.name + "（" + a.relation + "）办理，" +
        a.created_at;
      var note = document.createElement("input");
      note.className = "form-control form-control-sm mr-2";
      note.placeholder = "核验的证件与授权书";
      note.value = "身份证原件、签字的授权委托书";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary";
      button.textContent = "核验后确认";
      var said = document.createElement("span");
      said.className = "ml-2 small";
      button.addEventListener("click", function () {
        var url = answer.confirm_url.replace(/\/0\/confirm$/, "/" + a.id + "/confirm");
        fetch(url, {method: "POST", credentials: "same-origin",
                    body: new URLSearchParams({note: note.value, csrf_token: token})})
          .then(function (response) { return response.json(); })
          .then(function (result) {
            said.textContent = result.messages.join("；");
            said.className = "ml-2 small " + (result.ok ? "text-success" : "text-danger");
            if (result.ok) { button.disabled = true; }
          });
      });
      [label, note, button, said].forEach(function (el) { line.appendChild(el); });
      box.appendChild(line);
    });
    return box;
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
