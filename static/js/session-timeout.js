// Warn two minutes before the idle timeout, offer to stay signed in, and leave for the login page at expiry.
// Server requests renew the session (at most once a minute by default), so the timer restarts on each page load and htmx request;
// localStorage shares the latest expiry between tabs so activity in one tab keeps the others calm.
(function () {
  "use strict";

  var WARN_SECONDS = 120;
  var STORAGE_KEY = "samplan:session-expires-at";
  var idleSeconds = parseInt(document.body.dataset.sessionIdleSeconds, 10);
  var template = document.getElementById("session-timeout-template");
  if (!idleSeconds || !template) {
    return;
  }

  document.body.appendChild(template.content.cloneNode(true));
  var dialog = document.getElementById("session-timeout");
  var continueButton = dialog.querySelector("[data-session-continue]");
  var idleText = dialog.querySelector("[data-idle-text]");
  var absoluteText = dialog.querySelector("[data-absolute-text]");
  var errorText = dialog.querySelector("[data-error-text]");
  var countdowns = dialog.querySelectorAll("[data-countdown]");
  var expiresAt = 0;
  var returnFocusTo = null;
  var leaving = false;
  // True once the server says the absolute session limit, not idleness, is about to end the session.
  var atAbsoluteLimit = false;

  function store(value) {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(value));
    } catch (error) {
      // Private browsing may refuse storage; the timer still works for this tab.
    }
  }

  function renew(seconds) {
    expiresAt = Date.now() + seconds * 1000;
    store(expiresAt);
  }

  function secondsLeft() {
    return Math.round((expiresAt - Date.now()) / 1000);
  }

  function format(seconds) {
    var s = Math.max(0, seconds);
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function isOpen() {
    return dialog.hasAttribute("open");
  }

  function open() {
    idleText.hidden = atAbsoluteLimit;
    absoluteText.hidden = !atAbsoluteLimit;
    continueButton.hidden = atAbsoluteLimit;
    if (isOpen()) {
      return;
    }
    returnFocusTo = document.activeElement;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    (atAbsoluteLimit ? dialog.querySelector("form button") : continueButton).focus();
  }

  function close() {
    if (!isOpen()) {
      return;
    }
    errorText.hidden = true;
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
  }

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    var next = window.location.pathname + window.location.search;
    window.location.assign(dialog.dataset.loginUrl + "?utloggad=inaktiv&next=" + encodeURIComponent(next));
  }

  function keepAlive() {
    fetch(dialog.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken, Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 401) {
          leave();
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        renew(data.remaining);
        atAbsoluteLimit = data.remaining <= WARN_SECONDS;
        if (atAbsoluteLimit) {
          open();
          dialog.querySelector("form button").focus();
        } else {
          close();
        }
      })
      .catch(function () {
        errorText.hidden = false;
      });
  }

  function tick() {
    var left = secondsLeft();
    if (left <= 0) {
      leave();
      return;
    }
    if (left <= WARN_SECONDS) {
      for (var i = 0; i < countdowns.length; i += 1) {
        countdowns[i].textContent = format(left);
      }
      open();
    } else {
      close();
    }
  }

  continueButton.addEventListener("click", keepAlive);
  // Escape means the person is at the keyboard: treat it as wanting to stay signed in.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (!continueButton.hidden) {
      keepAlive();
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && Number(event.newValue) > expiresAt) {
      expiresAt = Number(event.newValue);
      tick();
    }
  });
  document.body.addEventListener("htmx:afterRequest", function () {
    renew(idleSeconds);
  });

  renew(idleSeconds);
  window.setInterval(tick, 1000);
})();
