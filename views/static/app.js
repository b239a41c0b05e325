// Pakt's own script, loaded by every page (the CSP allows no inline
// script). Pages work without it: the server checks everything again.
(function () {
  "use strict";

  // A file input with data-max-bytes: a chosen file over that size is said
  // next to the field (data-too-large holds the text in the page's
  // language) and the form is not sent, so what was typed in it is not
  // lost to the server's 413 page. The server's own limits stay.
  var FILES = 'input[type="file"][data-max-bytes]';

  function tooBig(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    if (!max || !input.files) {
      return false;
    }
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > max) {
        return true;
      }
    }
    return false;
  }

  function mark(input, on) {
    var id = input.id + "-too-large";
    var msg = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (s) {
      return s && s !== id;
    });
    if (on) {
      if (!msg) {
        msg = document.createElement("small");
        msg.id = id;
        msg.className = "field-error";
        msg.setAttribute("role", "alert");
        msg.textContent = input.getAttribute("data-too-large");
        input.insertAdjacentElement("afterend", msg);
      }
      if (!input.hasAttribute("data-was-invalid")) {
        input.setAttribute("data-was-invalid", input.getAttribute("aria-invalid") || "");
      }
      input.setAttribute("aria-invalid", "true");
      described.unshift(id);
    } else {
      if (msg) {
        msg.remove();
      }
      if (input.hasAttribute("data-was-invalid")) {
        var was = input.getAttribute("data-was-invalid");
        if (was) {
          input.setAttribute("aria-invalid", was);
        } else {
          input.removeAttribute("aria-invalid");
        }
        input.removeAttribute("data-was-invalid");
      }
    }
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches(FILES)) {
      mark(e.target, tooBig(e.target));
    }
  });

  // Only a multipart submission carries the file; other buttons of the same
  // form (Save on the report form) still work.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var enc = (e.submitter && e.submitter.getAttribute("formenctype")) || form.enctype;
    if (enc !== "multipart/form-data") {
      return;
    }
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.matches(FILES) && tooBig(el)) {
        e.preventDefault();
        mark(el, true);
        el.focus();
        return;
      }
    }
  }, true);
})();
