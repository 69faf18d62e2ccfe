/* "Gunakan lokasi saya": fills the report form's latitude/longitude from the browser's
   geolocation, and only when the person presses the button (never on page load). No map, no
   network: the point is two numbers the person can read and correct. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-geolocate]") : null;
    if (!button) { return; }
    event.preventDefault();
    var status = document.getElementById(button.getAttribute("data-status"));
    var lat = document.getElementById("latitude");
    var lon = document.getElementById("longitude");
    function say(key) { if (status) { status.textContent = button.getAttribute(key) || ""; } }
    if (!navigator.geolocation) { say("data-unsupported"); return; }
    say("data-waiting");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      button.disabled = false;
      say("data-done");
    }, function () {
      button.disabled = false;
      say("data-denied");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}());
