//! 受注編集 as asked: the request, each destination's lines resolved against the order and the
//! catalogue, addresses checked as at intake, the amounts after the edit.

use crate::goods::request::{DestinationRequest, LineRequest, check_contact};
use crate::goods::view::GoodsView;
use crate::{App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::edit::{self as rule, Amounts, Line};
use kippu_domain::goods::fee::Parcel;
use kippu_domain::money::Yen;
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, EditLineRow};
use serde::Deserialize;

/// One destination of `PATCH /api/v1/orders/{n}`: what changes of it (omitted: as it is).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationEdit {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kana: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// お届け希望日 `YYYY-MM-DD` ("" for none).
    #[serde(default)]
    pub requested_date: Option<String>,
    /// 配達時間帯 ("" for none).
    #[serde(default)]
    pub time_band: Option<String>,
    /// Every line the destination receives after the edit.
    #[serde(default)]
    pub lines: Option<Vec<LineRequest>>,
}

/// `PATCH /api/v1/orders/{n}` for a goods order: the fields of `POST` that an edit changes,
/// each optional. `destinations`, when given, has one entry per destination of the order, in
/// its order. `shipping_fee` is the order's 送料 (split over its shipped destinations).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsEditRequest {
    #[serde(default)]
    pub destinations: Vec<DestinationEdit>,
    #[serde(default)]
    pub shipping_fee: Option<i64>,
    #[serde(default)]
    pub cod_fee: Option<i64>,
    #[serde(default)]
    pub payment_method: Option<String>,
    #[serde(default)]
    pub points_used: Option<i64>,
}

/// A line as the edit will write it: the rule's view and the product's words.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub(super) line: Line,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) jan: String,
    pub(super) tax_percent: i64,
}

pub(super) fn resolved(l: &EditLineRow) -> Resolved {
    Resolved {
        line: Line {
            product_id: l.product_id,
            unit_price: l.unit_price,
            tax_rate: crate::goods::quote::rate_of(l.tax_rate),
            quantity: l.quantity,
        },
        code: l.product_code.clone(),
        name: l.product_name.clone(),
        jan: l.jan.clone(),
        tax_percent: l.tax_rate,
    }
}

/// The order's amounts as stored, with each destination's lines.
pub(super) fn amounts_of(view: &GoodsView, lines: &[EditLineRow]) -> (Amounts, Vec<Vec<Resolved>>) {
    let per: Vec<Vec<Resolved>> = view
        .shipments
        .iter()
        .map(|s| lines.iter().filter(|l| l.shipment_id == Some(s.id)).map(resolved).collect())
        .collect();
    let amounts = Amounts {
        destinations: per.iter().map(|ls| ls.iter().map(|r| r.line).collect()).collect(),
        shipping_fees: view.shipments.iter().map(|s| s.shipping_fee).collect(),
        cod_fee: view.order.handling_fee,
        method: view.order.payment_method,
        points_used: view.order.points_used,
        discount: view.order.discount,
    };
    (amounts, per)
}

/// The lines a destination receives after the edit: a product already on the order keeps the
/// order's unit price; one new to it is sold at its catalogue price, if it is on sale.
pub(super) async fn lines_requested(
    conn: &mut AnyConnection,
    m: MerchantId,
    errs: &mut Collect,
    i: usize,
    requested: &[LineRequest],
    stored: &[EditLineRow],
) -> Result<Vec<Resolved>> {
    let at = format!("お届け先{}: ", i + 1);
    let field = |f: &'static str| crate::goods::request::destination_field(i, f);
    if requested.len() > crate::goods::MAX_LINES {
        errs.push(FieldError::new(
            field("lines"),
            format!("{at}商品は{}行までです", crate::goods::MAX_LINES),
        ));
        return Ok(vec![]);
    }
    let mut out: Vec<Resolved> = Vec::new();
    for l in requested {
        let code = l.product_code.trim();
        if !(1..=rule::MAX_QUANTITY).contains(&l.quantity) {
            errs.push(FieldError::new(
                field("lines.quantity"),
                format!("{at}{code} の数量は1〜{}で指定してください", rule::MAX_QUANTITY),
            ));
            continue;
        }
        let mut r = match stored.iter().find(|s| s.product_code == code) {
            Some(s) => resolved(s),
            None => {
                let product = kippu_store::orders::product_by_code(conn, m, code)
                    .await?
                    .filter(|p| p.archived == 0 && p.kind == ProductKind::Goods);
                let Some(p) = product else {
                    errs.push(FieldError::new(
                        field("lines.product_code"),
                        format!("{at}商品コード {code} の販売中の物販商品はありません"),
                    ));
                    continue;
                };
                Resolved {
                    line: Line {
                        product_id: p.id,
                        unit_price: p.price,
                        tax_rate: crate::goods::quote::rate_of(p.tax_rate),
                        quantity: 0,
                    },
                    code: p.code,
                    name: p.name,
                    jan: p.jan,
                    tax_percent: p.tax_rate,
                }
            }
        };
        match out.iter_mut().find(|o| o.code == r.code) {
            // The same product twice on one destination is one line.
            Some(o) => o.line.quantity += l.quantity,
            None => {
                r.line.quantity = l.quantity;
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// What the request asks for: the amounts after the edit, each destination's lines, and the
/// destinations whose address changed (checked as at intake).
pub(super) struct Asked {
    pub(super) after: Amounts,
    pub(super) lines: Vec<Vec<Resolved>>,
    pub(super) contacts: Vec<Option<crate::goods::request::Contact>>,
}

pub(super) async fn asked(app: &App, m: MerchantId, view: &GoodsView, stored: &[EditLineRow], r: &GoodsEditRequest) -> Result<Asked> {
    let (before, mut lines) = amounts_of(view, stored);
    let mut errs = Collect::default();
    let mut dest_errs = Collect::default();
    let n = view.shipments.len();
    let mut contacts: Vec<Option<crate::goods::request::Contact>> = (0..n).map(|_| None).collect();
    if !r.destinations.is_empty() && r.destinations.len() != n {
        errs.push(FieldError::new(
            "destinations",
            format!("お届け先は{n}件すべてを順に指定してください（お届け先の追加・削除はできません）"),
        ));
    }
    let today = app.clock.today();
    let mut conn = app.store.conn().await?;
    for (i, (d, s)) in r.destinations.iter().zip(&view.shipments).enumerate().take(n) {
        if let Some(requested) = &d.lines {
            let mine: Vec<EditLineRow> = stored.iter().filter(|l| l.shipment_id == Some(s.id)).cloned().collect();
            lines[i] = lines_requested(&mut conn, m, &mut dest_errs, i, requested, &mine).await?;
            if requested.is_empty() {
                dest_errs.push(FieldError::new(
                    crate::goods::request::destination_field(i, "lines"),
                    format!("お届け先{}: 商品を1つ以上指定してください", i + 1),
                ));
            }
        }
        let typed = [
            &d.name,
            &d.kana,
            &d.postal_code,
            &d.address,
            &d.phone,
            &d.requested_date,
            &d.time_band,
        ];
        if s.is_pickup() || typed.iter().all(|f| f.is_none()) {
            continue;
        }
        let or = |typed: &Option<String>, stored: &str| typed.clone().unwrap_or_else(|| stored.to_string());
        let merged = DestinationRequest {
            name: or(&d.name, &s.recipient_name),
            kana: or(&d.kana, &s.recipient_kana),
            postal_code: or(&d.postal_code, &s.postal_code),
            address: or(&d.address, &s.address),
            phone: or(&d.phone, &s.phone),
            lines: vec![],
            requested_date: d.requested_date.clone().or_else(|| s.requested_date.clone()),
            time_band: d.time_band.clone().or_else(|| s.time_band.map(|b| b.as_str().to_string())),
        };
        let unchanged_date = merged.requested_date == s.requested_date;
        let mut contact_errs = Collect::default();
        let mut c = check_contact(&mut contact_errs, i, &merged, today);
        if let Err(e) = contact_errs.finish_all() {
            // A date already on the order that has since passed stays as it is.
            let date_field = crate::goods::request::destination_field(i, "requested_date");
            let keep_date = |f: &FieldError| unchanged_date && f.field == date_field;
            for f in e.all().iter().filter(|f| !keep_date(f)) {
                dest_errs.push(f.clone());
            }
            if e.all().iter().all(keep_date) {
                let mut relaxed = merged.clone();
                relaxed.requested_date = None;
                c = check_contact(&mut Collect::default(), i, &relaxed, today).map(|mut c| {
                    c.requested_date = s.requested_date.clone();
                    c
                });
            }
        }
        contacts[i] = c.filter(|c| {
            (
                &c.name,
                &c.kana,
                &c.postal_code,
                &c.address,
                &c.phone,
                &c.requested_date,
                c.time_band,
            ) != (
                &s.recipient_name,
                &s.recipient_kana,
                &s.postal_code,
                &s.address,
                &s.phone,
                &s.requested_date,
                s.time_band,
            )
        });
    }
    let method = match r.payment_method.as_deref().map(str::trim) {
        None | Some("") => Some(before.method),
        Some(code) => errs.take(
            PaymentMethod::parse(code)
                .filter(|p| kippu_domain::goods::PAYMENT_METHODS.contains(p))
                .ok_or_else(|| {
                    FieldError::new(
                        "payment_method",
                        "card_auth, card_capture, bank_store, cod, konbini, store_pay のいずれかを指定してください",
                    )
                }),
        ),
    };
    let pickup: Vec<bool> = view.shipments.iter().map(|s| s.is_pickup()).collect();
    let shipping_fees = match r.shipping_fee {
        None => Some(before.shipping_fees.clone()),
        Some(total) if !(0..=rule::MAX_FEE).contains(&total) => {
            errs.push(FieldError::new(
                "shipping_fee",
                format!("送料は0〜{}で入力してください", Yen(rule::MAX_FEE).display_ja()),
            ));
            None
        }
        Some(total) => errs.take(
            rule::split_shipping(total, &pickup).ok_or_else(|| FieldError::new("shipping_fee", "店舗受取の注文に送料はかかりません")),
        ),
    };
    FieldErrors::merge(errs.finish(), dest_errs.finish_all())?;
    let (Some(method), Some(shipping_fees)) = (method, shipping_fees) else {
        return Err(AppError::Internal("an edit without a value but without an error".into()));
    };
    let destinations: Vec<Vec<Line>> = lines.iter().map(|ls| ls.iter().map(|r| r.line).collect()).collect();
    let goods_total: i64 = destinations.iter().flatten().map(Line::subtotal).sum();
    // 代引手数料: as typed; else the merchant's rule when the order turns to cash on delivery,
    // none when it leaves it, as it was otherwise.
    let cod_fee = match (r.cod_fee, method == before.method) {
        (Some(fee), _) => fee,
        (None, true) => before.cod_fee,
        (None, false) => {
            let rule = repo::shipping_rule(&mut conn, m).await?;
            let parcels: Vec<Parcel> = view
                .shipments
                .iter()
                .map(|s| Parcel {
                    pickup: s.is_pickup(),
                    address: &s.address,
                })
                .collect();
            rule.fees(goods_total, &parcels, method).cod
        }
    };
    Ok(Asked {
        after: Amounts {
            destinations,
            shipping_fees,
            cod_fee,
            method,
            points_used: r.points_used.unwrap_or(before.points_used),
            // The coupon stays with its yen, never more than the goods after the edit.
            discount: before.discount,
        },
        lines,
        contacts,
    })
}
