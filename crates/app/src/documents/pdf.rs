//! A small page writer over krilla: lines of text top to bottom, rules, automatic page breaks.
//! Text stays real text in the PDF (subset-embedded IPAexGothic), so it can be searched,
//! copied and extracted.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use std::sync::LazyLock;

static FONT_DATA: &[u8] = include_bytes!("../../fonts/ipaexg.ttf");
static FONT: LazyLock<Option<Font>> = LazyLock::new(|| Font::new(FONT_DATA.into(), 0));

/// A4 in PDF points.
pub const WIDTH: f32 = 595.0;
pub const HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 50.0;

/// What to draw on one line.
pub enum Item {
    Text {
        x: f32,
        size: f32,
        text: String,
    },
    Rule,
    Gap(f32),
    /// A QR code `side` points wide at `x`: `dark` holds `width`×`width` modules row by row
    /// (drawn as vector squares, sharp at any print size).
    Qr {
        x: f32,
        side: f32,
        width: usize,
        dark: Vec<bool>,
    },
}

/// Lays out items top to bottom, breaking pages, and returns the PDF bytes.
pub fn render(lines: Vec<Vec<Item>>, footer: &str) -> Result<Vec<u8>, String> {
    let font = FONT.clone().ok_or("the embedded font could not be read")?;
    let mut doc = Document::new();
    let mut pages: Vec<Vec<(f32, Vec<Item>)>> = vec![Vec::new()];
    let mut y = MARGIN;
    for line in lines {
        let height = line
            .iter()
            .map(|i| match i {
                Item::Text { size, .. } => size * 1.5,
                Item::Rule => 8.0,
                Item::Gap(g) => *g,
                Item::Qr { side, .. } => *side,
            })
            .fold(0.0f32, f32::max);
        if y + height > HEIGHT - MARGIN - 20.0 {
            pages.push(Vec::new());
            y = MARGIN;
        }
        pages.last_mut().expect("a page").push((y, line));
        y += height;
    }
    let total = pages.len();
    for (n, items) in pages.into_iter().enumerate() {
        let mut page = doc.start_page_with(PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?);
        let mut surface = page.surface();
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(20, 20, 20).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        for (y, line) in items {
            for item in line {
                match item {
                    Item::Text { x, size, text } => {
                        surface.draw_text(Point::from_xy(x, y + size), font.clone(), size, &text, false, TextDirection::Auto);
                    }
                    Item::Rule => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(MARGIN, y + 4.0);
                        pb.line_to(WIDTH - MARGIN, y + 4.0);
                        if let Some(path) = pb.finish() {
                            surface.set_stroke(Some(Stroke {
                                paint: rgb::Color::new(120, 120, 120).into(),
                                width: 0.6,
                                ..Default::default()
                            }));
                            surface.draw_path(&path);
                            surface.set_stroke(None);
                        }
                    }
                    Item::Gap(_) => {}
                    Item::Qr { x, side, width, dark } => {
                        let module = side / width.max(1) as f32;
                        let mut pb = PathBuilder::new();
                        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
                            let (mx, my) = ((i % width) as f32 * module + x, (i / width) as f32 * module + y);
                            if let Some(r) = krilla::geom::Rect::from_xywh(mx, my, module, module) {
                                pb.push_rect(r);
                            }
                        }
                        if let Some(path) = pb.finish() {
                            surface.draw_path(&path);
                        }
                    }
                }
            }
        }
        let foot = format!("{footer}   {} / {}", n + 1, total);
        surface.draw_text(
            Point::from_xy(MARGIN, HEIGHT - MARGIN),
            font.clone(),
            8.0,
            &foot,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| format!("PDF: {e:?}"))
}
