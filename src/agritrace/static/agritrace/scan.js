// The front door's camera button (issue 13): shown only where the browser can open a camera.
// Reads a QR code with the browser's BarcodeDetector, or with the vendored polyfill (ZXing in
// WebAssembly, loaded on the first tap only), then submits the code box as if it were typed.
(function () {
  "use strict";
  var button = document.getElementById("scan");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("q");
  if (!button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  button.hidden = false;

  function polyfill() {
    if ("BarcodeDetector" in window) return Promise.resolve(window.BarcodeDetector);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = button.dataset.vendor;
      script.onload = function () {
        var api = window.BarcodeDetectionAPI;
        api.prepareZXingModule({
          overrides: {
            locateFile: function (path, prefix) {
              return path.endsWith(".wasm") ? button.dataset.wasm : prefix + path;
            },
          },
        });
        resolve(window.BarcodeDetector || api.BarcodeDetector);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function stop(stream) {
    stream.getTracks().forEach(function (track) { track.stop(); });
    video.hidden = true;
  }

  button.addEventListener("click", function () {
    var stream;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return Promise.all([video.play(), polyfill()]);
      })
      .then(function (found) {
        var detector = new found[1]({ formats: ["qr_code", "data_matrix"] });
        (function look() {
          if (!stream.active) return;
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop(stream);
              input.value = codes[0].rawValue;
              input.form.submit();
            } else {
              setTimeout(look, 250);
            }
          }, function () { setTimeout(look, 500); });
        })();
      })
      .catch(function () {
        if (stream) stop(stream);
        button.hidden = true;
        input.placeholder = button.dataset.failed;
        input.focus();
      });
  });
})();
