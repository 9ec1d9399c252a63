// The door page's camera: reads the e-ticket QR with the vendored jsQR decoder and submits
// the same form as a typed ID. Without a camera (or JavaScript) the typed ID still works.
document.addEventListener('DOMContentLoaded', function () {
  var button = document.getElementById('door-camera');
  var video = document.getElementById('door-video');
  var status = document.getElementById('door-camera-status');
  var form = document.getElementById('door-form');
  var field = document.getElementById('door-code');
  if (!button || !video || !form || !field) { return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== 'function') {
    button.disabled = true;
    status.textContent = 'この端末ではカメラを使えません。eチケットIDを入力してください。';
    return;
  }
  var canvas = document.createElement('canvas');
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
  }
  function tick() {
    if (!stream) { return; }
    if (video.readyState >= 2 && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var qr = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
      if (qr && qr.data) {
        stop();
        status.textContent = '読み取りました。確認しています…';
        field.value = qr.data;
        form.submit();
        return;
      }
    }
    requestAnimationFrame(tick);
  }
  button.addEventListener('click', function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.play();
      status.textContent = 'QRコードを枠に映してください。';
      requestAnimationFrame(tick);
    }).catch(function (e) {
      status.textContent = 'カメラを起動できません（' + e.name + '）。eチケットIDを入力してください。';
    });
  });
  window.addEventListener('pagehide', stop);
});
