//! QR codes of e-tickets, rendered as PNG (what phones and door scanners read best).

/// A PNG of `payload` with a quiet zone of 4 modules and `scale` pixels per module.
pub fn png(payload: &str, scale: usize) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).map_err(|e| e.to_string())?;
    let modules = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let side = (modules + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for y in 0..modules {
        for x in 0..modules {
            if colors[y * modules + x] == qrcode::Color::Dark {
                for dy in 0..scale {
                    let row = (y + quiet) * scale + dy;
                    let start = row * side + (x + quiet) * scale;
                    pixels[start..start + scale].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&pixels).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A ticket's QR code as an image response: `code` is the ticket's unguessable code.
pub fn png_response(code: &str) -> Result<axum::response::Response, crate::error::WebError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let png = png(code, 8).map_err(crate::error::WebError::Internal)?;
    Ok((
        [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=300")],
        png,
    )
        .into_response())
}
