//! QR台紙: the printable mount of a terminal, put at the counter. The QR code the holder's phone
//! scans, the store's name, the terminal's name and the 6-digit passcode for phones whose camera
//! cannot read it (the manual: 【パスコードを入力する】).

use super::pdf::{Item, MARGIN, render};

pub struct Mount<'a> {
    pub program: &'a str,
    pub store_code: &'a str,
    pub store_name: &'a str,
    pub terminal_name: &'a str,
    pub passcode: &'a str,
    pub qr_payload: &'a str,
}

fn text(x: f32, size: f32, t: impl Into<String>) -> Vec<Item> {
    vec![Item::Text { x, size, text: t.into() }]
}

/// The mount as PDF bytes (one A4 page).
pub fn pdf(m: &Mount<'_>) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::with_error_correction_level(m.qr_payload.as_bytes(), qrcode::EcLevel::M).map_err(|e| e.to_string())?;
    let width = code.width();
    let dark: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    let side = 300.0;
    let centre = (super::pdf::WIDTH - side) / 2.0;
    let lines = vec![
        text(MARGIN, 16.0, m.program),
        text(MARGIN, 26.0, m.store_name),
        text(MARGIN, 12.0, format!("店舗コード {}　端末 {}", m.store_code, m.terminal_name)),
        vec![Item::Gap(24.0)],
        vec![Item::Qr {
            x: centre,
            side,
            width,
            dark,
        }],
        vec![Item::Gap(24.0)],
        text(MARGIN, 14.0, "カメラが起動しない・QRコードを読み込めない場合は、"),
        text(MARGIN, 14.0, "【パスコードを入力する】から次の6桁を入力してください。"),
        vec![Item::Gap(8.0)],
        text(MARGIN, 14.0, "パスコード"),
        text(MARGIN, 40.0, m.passcode),
    ];
    render(lines, &format!("QR台紙 {} {}", m.store_code, m.terminal_name))
}
