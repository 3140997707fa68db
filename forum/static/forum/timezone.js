// Remembers the browser's time zone (once) so programme times also show in the visitor's own zone.
(function () {
  "use strict";
  var cookieName = "visitor_tz";
  var hasCookie = document.cookie.split("; ").some(function (part) {
    return part.indexOf(cookieName + "=") === 0;
  });
  if (hasCookie || !window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Zone names are plain ASCII (Asia/Ho_Chi_Minh, Etc/GMT+7): keep them readable by the server as is.
  if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) {
    return;
  }
  var secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = cookieName + "=" + zone + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
  if (document.querySelector("[data-shows-times]")) {
    window.location.reload();
  }
})();
