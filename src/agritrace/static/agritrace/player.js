/* AgriTrace HLS player (templates/video/player.html): poster first, tap or autoplay to play
 * muted; native HLS when the browser plays application/vnd.apple.mpegurl (Safari, iOS, Android
 * and recent Chromium), else hls.js, loaded lazily the first time a player starts.
 * `?player=hlsjs` in the page URL forces hls.js (for tests and troubleshooting). */
(function () {
  "use strict";
  if (window.AgriTracePlayer) {
    window.AgriTracePlayer.scan(document);
    return;
  }
  var hlsPromise = null;

  function loadHls(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsPromise) {
      hlsPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Hls); };
        script.onerror = function () { hlsPromise = null; reject(new Error("hls.js")); };
        document.head.appendChild(script);
      });
    }
    return hlsPromise;
  }

  function forcedEngine() {
    return new URLSearchParams(window.location.search).get("player");
  }

  function fail(box) {
    box.dataset.state = "error";
    var message = box.querySelector(".agritrace-player-message");
    if (message) {
      message.textContent = message.dataset.error;
      message.hidden = false;
    }
  }

  function play(box) {
    if (box.dataset.state === "loading" || box.dataset.state === "playing") return;
    var video = box.querySelector("video");
    var poster = box.querySelector(".agritrace-player-poster");
    var src = box.dataset.src;
    box.dataset.state = "loading";
    video.muted = true;
    video.addEventListener("playing", function () {
      box.dataset.state = "playing";
      if (poster) poster.style.setProperty("display", "none", "important");
      video.controls = true;
    });
    var start = function () {
      var promise = video.play();
      if (promise && promise.catch) {
        promise.catch(function () { box.dataset.state = "paused"; });
      }
    };
    var native = video.canPlayType("application/vnd.apple.mpegurl");
    if (native && forcedEngine() !== "hlsjs") {
      box.dataset.engine = "native";
      video.addEventListener("error", function () { fail(box); });
      video.src = src;
      start();
      return;
    }
    box.dataset.engine = "hls.js";
    loadHls(box.dataset.hlsjs).then(function (Hls) {
      if (!Hls || !Hls.isSupported()) { fail(box); return; }
      var hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 2 });
      hls.on(Hls.Events.ERROR, function (event, data) { if (data.fatal) fail(box); });
      hls.on(Hls.Events.MANIFEST_PARSED, start);
      hls.loadSource(src);
      hls.attachMedia(video);
      box.agritraceHls = hls;
    }, function () { fail(box); });
  }

  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var poster = box.querySelector(".agritrace-player-poster");
    if (poster) poster.addEventListener("click", function () { play(box); });
    if (box.hasAttribute("data-autoplay")) play(box);
  }

  function scan(root) {
    root.querySelectorAll(".agritrace-player").forEach(setUp);
  }

  window.AgriTracePlayer = { scan: scan, play: play };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();
