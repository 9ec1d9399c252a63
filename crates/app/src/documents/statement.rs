//! 明細: the statement of one order, as the list's 【明細】 link and the API serve it.

use super::pdf::{Item, MARGIN, render};
use crate::orders::OrderView;
use crate::{App, AppError, Result};
use kippu_domain::Yen;
use kippu_domain::clock::{format_jst, from_millis, parse_date};
use kippu_domain::money::TaxRate;

fn text(x: f32, size: f32, s: impl Into<String>) -> Item {
    Item::Text { x, size, text: s.into() }
}

/// Renders the statement of an order the caller was allowed to read.
pub async fn pdf(app: &App, v: &OrderView) -> Result<Vec<u8>> {
    let o = &v.order;
    let merchant = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, o.merchant_id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let lines_of_order = {
        let mut conn = app.store.conn().await?;
        kippu_store::orders::lines_of(&mut conn, o.id).await?
    };
    let method = o.payment_method.label_ja();
    let status = o.status.label_ja();
    let mut lines: Vec<Vec<Item>> = vec![
        vec![text(MARGIN, 20.0, "明細書")],
        vec![text(MARGIN, 11.0, format!("発行日時 {}", format_jst(app.clock.now())))],
        vec![Item::Gap(8.0)],
        vec![
            text(MARGIN, 12.0, format!("{} 様", o.customer_name)),
            text(330.0, 12.0, merchant.name.clone()),
        ],
        vec![
            text(MARGIN, 10.0, format!("（{}）", o.customer_kana)),
            text(330.0, 10.0, format!("加盟店コード {}", merchant.code)),
        ],
        vec![text(MARGIN, 10.0, format!("{} / {}", o.customer_email, o.customer_phone))],
        vec![Item::Gap(6.0)],
        vec![
            text(MARGIN, 11.0, format!("受注番号 {}", o.order_number)),
            text(330.0, 11.0, format!("ご注文日時 {}", format_jst(from_millis(o.ordered_at)))),
        ],
        vec![
            text(MARGIN, 11.0, format!("決済種別 {method}")),
            text(330.0, 11.0, format!("ステータス {status}")),
        ],
    ];
    if let Some(paid) = o.paid_at {
        lines.push(vec![text(MARGIN, 11.0, format!("入金確認日時 {}", format_jst(from_millis(paid))))]);
    }
    lines.push(vec![Item::Gap(6.0)]);
    lines.push(vec![
        text(MARGIN, 10.0, "商品名"),
        text(330.0, 10.0, "単価（税込）"),
        text(420.0, 10.0, "数量"),
        text(470.0, 10.0, "金額（税込）"),
    ]);
    lines.push(vec![Item::Rule]);
    let mut by_rate: Vec<(i64, i64)> = Vec::new();
    for l in &lines_of_order {
        // A stay has a line per night: each names its night.
        let night = match (o.nights, l.visit_date.as_deref().and_then(parse_date)) {
            (Some(_), Some(d)) => format!(" {:02}/{:02}泊", d.month() as u8, d.day()),
            _ => String::new(),
        };
        lines.push(vec![
            text(
                MARGIN,
                10.5,
                format!(
                    "{}（{}）{night}",
                    l.product_name,
                    if l.jan.is_empty() { &l.product_code } else { &l.jan }
                ),
            ),
            text(330.0, 10.5, Yen(l.unit_price).display_ja()),
            text(420.0, 10.5, l.quantity.to_string()),
            text(470.0, 10.5, Yen(l.amount).display_ja()),
        ]);
        match by_rate.iter_mut().find(|(r, _)| *r == l.tax_rate) {
            Some((_, a)) => *a += l.amount,
            None => by_rate.push((l.tax_rate, l.amount)),
        }
    }
    lines.push(vec![Item::Rule]);
    lines.push(vec![
        text(330.0, 12.0, "合計（税込）"),
        text(470.0, 12.0, Yen(o.amount).display_ja()),
    ]);
    for (rate, amount) in by_rate {
        let tax = TaxRate::from_percent(rate).map(|r| Yen(amount).tax_included(r)).unwrap_or_default();
        lines.push(vec![text(
            330.0,
            9.5,
            format!("（{rate}%対象 {} 内消費税 {}）", Yen(amount).display_ja(), tax.display_ja()),
        )]);
    }
    if o.cancel_fee > 0 || o.refunded_amount > 0 {
        lines.push(vec![text(330.0, 10.0, format!("返金額 {}", Yen(o.refunded_amount).display_ja()))]);
    }
    lines.push(vec![Item::Gap(10.0)]);
    lines.push(vec![text(MARGIN, 11.0, "ウェブチケット")]);
    lines.push(vec![Item::Rule]);
    for t in &v.tickets {
        let kind = t.ticket_type.map(|k| k.label_ja()).unwrap_or("");
        let usage = t.usage.label_ja();
        lines.push(vec![
            text(MARGIN, 9.5, t.ticket_number.clone()),
            text(200.0, 9.5, format!("{} 様", t.holder_name)),
            text(330.0, 9.5, kind),
            text(470.0, 9.5, usage),
        ]);
    }
    render(lines, &format!("kippu  {}  {}", merchant.name, o.order_number)).map_err(AppError::Internal)
}
