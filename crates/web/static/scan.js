// The camera scanner of the door page and the voucher payment page: a button with
// data-scan="<form id>" reads a QR code with the vendored jsQR decoder into the form's field
// (data-scan-field), then submits the same form as a typed code. The video and status elements
// are named by data-scan-video and data-scan-status. Without a camera (or JavaScript) typing
// still works.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-scan]').forEach(function (button) {
    var form = document.getElementById(button.dataset.scan);
    var field = document.getElementById(button.dataset.scanField);
    var video = document.getElementById(button.dataset.scanVideo);
    var status = document.getElementById(button.dataset.scanStatus);
    var typeInstead = button.dataset.scanTypeInstead || '';
    if (!video || !form || !field || !status) { return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== 'function') {
      button.disabled = true;
      status.textContent = 'この端末ではカメラを使えません。' + typeInstead;
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
        status.textContent = 'カメラを起動できません（' + e.name + '）。' + typeInstead;
      });
    });
    window.addEventListener('pagehide', stop);
  });
});
