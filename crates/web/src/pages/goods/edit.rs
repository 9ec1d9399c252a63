//! 受注編集 (`/shipping/orders/{n}/edit`): the manual's warning, each destination's address and
//! its lines and quantities, 送料, 代引手数料, 支払方法 and ポイント利用 — after payment only the
//! addresses. The page converts the form into the API's edit request and calls one app
//! function; each error is said beside its input, the change in words after saving.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::edit::{self, DestinationEdit, EditForm, GoodsEditRequest};
use kippu_app::goods::{GoodsView, LineRequest, parse_destination_field};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::goods::TimeBand;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};

/// One line of a destination as the form shows it.
pub struct LineForm {
    code: String,
    name: String,
    unit_price: String,
    quantity: String,
}

/// One destination as the form shows (or re-shows) it.
pub struct DestForm {
    k: usize,
    pickup: bool,
    shipped: bool,
    name: String,
    kana: String,
    postal_code: String,
    address: String,
    phone: String,
    requested_date: String,
    time_band: String,
    lines: Vec<LineForm>,
    add_code: String,
    add_quantity: String,
}

#[derive(Template)]
#[template(path = "goods_edit.html")]
struct EditPage {
    c: Chrome,
    number: String,
    amounts_editable: bool,
    total: String,
    dests: Vec<DestForm>,
    shipping_fee: String,
    cod_fee: String,
    payment_method: String,
    points_used: String,
    points_available: String,
    methods: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

/// The form as the order is now.
fn stored(v: &GoodsView) -> (Vec<DestForm>, [String; 4]) {
    let dests = v
        .shipments
        .iter()
        .enumerate()
        .map(|(i, s)| DestForm {
            k: i + 1,
            pickup: s.is_pickup(),
            shipped: s.status == kippu_domain::goods::ShippingStatus::Shipped,
            name: s.recipient_name.clone(),
            kana: s.recipient_kana.clone(),
            postal_code: s.postal_code.clone(),
            address: s.address.clone(),
            phone: s.phone.clone(),
            requested_date: s.requested_date.clone().unwrap_or_default(),
            time_band: s.time_band.map(|b| b.as_str().to_string()).unwrap_or_default(),
            lines: v
                .lines_of(s)
                .map(|l| LineForm {
                    code: l.product_code.clone(),
                    name: l.product_name.clone(),
                    unit_price: Yen(l.unit_price).display_ja(),
                    quantity: l.quantity.to_string(),
                })
                .collect(),
            add_code: String::new(),
            add_quantity: String::new(),
        })
        .collect();
    let o = &v.order;
    (
        dests,
        [
            o.shipping_fee.to_string(),
            o.handling_fee.to_string(),
            o.payment_method.as_str().to_string(),
            o.points_used.to_string(),
        ],
    )
}

fn page(
    s: &SignedIn,
    f: &EditForm,
    dests: Vec<DestForm>,
    amounts: [String; 4],
    status: StatusCode,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let [shipping_fee, cod_fee, payment_method, points_used] = amounts;
    render(
        status,
        EditPage {
            c: Chrome::signed_in(&s.ctx, "goods_edit.title"),
            number: f.view.order.order_number.clone(),
            amounts_editable: f.amounts_editable,
            total: Yen(f.view.order.amount).display_ja(),
            dests,
            shipping_fee,
            cod_fee,
            payment_method,
            points_used,
            points_available: kippu_domain::money::grouped(f.points_available),
            methods: f.methods.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
            bands: TimeBand::ALL.iter().map(|b| (b.as_str(), t.l(b.label()))).collect(),
            errors,
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    let f = edit::form(&app, &s.user.actor, &number).await?;
    let (dests, amounts) = stored(&f.view);
    page(&s, &f, dests, amounts, StatusCode::OK, FormErrors::default())
}

/// The form as posted: every destination's fields (`d1_name`, `d1_code` and `d1_qty` per line,
/// `d1_add_code`/`d1_add_qty`), and the amounts when the order still shows them.
fn typed(form: &crate::posted::Posted, f: &EditForm) -> (Vec<DestForm>, [String; 4]) {
    let (mut dests, stored_amounts) = stored(&f.view);
    for d in dests.iter_mut() {
        let k = d.k;
        let one = |field: &str| form.one(&format!("d{k}_{field}"));
        if !d.pickup && !d.shipped {
            d.name = one("name");
            d.kana = one("kana");
            d.postal_code = one("postal_code");
            d.address = one("address");
            d.phone = one("phone");
            d.requested_date = one("requested_date");
            d.time_band = one("time_band");
        }
        if f.amounts_editable {
            let qtys: Vec<String> = form.all(&format!("d{k}_qty")).map(str::to_string).collect();
            for (l, q) in d.lines.iter_mut().zip(&qtys) {
                l.quantity = q.clone();
            }
            d.add_code = one("add_code");
            d.add_quantity = one("add_qty");
        }
    }
    let amounts = if f.amounts_editable {
        [
            form.one("shipping_fee"),
            form.one("cod_fee"),
            form.one("payment_method"),
            form.one("points_used"),
        ]
    } else {
        stored_amounts
    };
    (dests, amounts)
}

/// A typed whole number of yen or points: 「1,000」「１０００円」 read as 1000.
fn number(field: &'static str, raw: &str, errs: &mut Collect, t: &crate::i18n::T) -> Option<i64> {
    let cleaned = raw.trim().replace([',', '，', '円'], "");
    match kippu_domain::normalize::integer(&cleaned) {
        Some(n) => Some(n),
        None => {
            errs.push(FieldError::new(field, t.s("goods_edit.not_number")));
            None
        }
    }
}

/// The API's edit request of what was typed; a number that is not one is said beside its input.
fn request(dests: &[DestForm], amounts: &[String; 4], f: &EditForm, t: &crate::i18n::T) -> Result<GoodsEditRequest, FieldErrors> {
    let mut errs = Collect::default();
    let mut out = GoodsEditRequest::default();
    for d in dests {
        let mut e = DestinationEdit::default();
        if !d.pickup && !d.shipped {
            e.name = Some(d.name.clone());
            e.kana = Some(d.kana.clone());
            e.postal_code = Some(d.postal_code.clone());
            e.address = Some(d.address.clone());
            e.phone = Some(d.phone.clone());
            e.requested_date = Some(d.requested_date.clone());
            e.time_band = Some(d.time_band.clone());
        }
        if f.amounts_editable {
            let field = kippu_app::goods::destination_field(d.k - 1, "lines.quantity");
            let mut lines = Vec::new();
            for l in &d.lines {
                // 0 removes the line.
                match number(field, &l.quantity, &mut errs, t) {
                    Some(0) => {}
                    Some(q) => lines.push(LineRequest {
                        product_code: l.code.clone(),
                        quantity: q,
                    }),
                    None => {}
                }
            }
            if !d.add_code.trim().is_empty() {
                let q = if d.add_quantity.trim().is_empty() {
                    Some(1)
                } else {
                    number(field, &d.add_quantity, &mut errs, t)
                };
                if let Some(q) = q {
                    lines.push(LineRequest {
                        product_code: d.add_code.trim().to_string(),
                        quantity: q,
                    });
                }
            }
            e.lines = Some(lines);
        }
        out.destinations.push(e);
    }
    if f.amounts_editable {
        out.shipping_fee = number("shipping_fee", &amounts[0], &mut errs, t);
        out.cod_fee = number("cod_fee", &amounts[1], &mut errs, t);
        out.payment_method = Some(amounts[2].clone());
        out.points_used = number("points_used", &amounts[3], &mut errs, t);
    }
    errs.finish_all().map(|()| out)
}

/// An app field → the input beside which its error is said.
fn input_of(field: &'static str) -> String {
    match parse_destination_field(field) {
        Some((i, f)) if f.starts_with("lines") => format!("d{}_lines", i + 1),
        Some((i, f)) => format!("d{}_{f}", i + 1),
        None if field == "destinations" => "d1_lines".to_string(),
        None => field.to_string(),
    }
}

/// What the edit changed, in words: 「T…: 受注を編集しました（合計 6,000円 → 9,800円）」.
fn said_done(s: &SignedIn, before: &GoodsView, after: &GoodsView) -> Flash {
    let t = s.ctx.t();
    let n = &after.order.order_number;
    let mut parts = Vec::new();
    let yen = |v: i64| Yen(v).display_ja();
    let (b, a) = (&before.order, &after.order);
    if b.amount != a.amount {
        parts.push(format!("{} {} → {}", t.s("orders.amount_col"), yen(b.amount), yen(a.amount)));
    }
    if b.payment_method != a.payment_method {
        parts.push(format!(
            "{} {} → {}",
            t.s("goods_edit.payment_method"),
            t.l(b.payment_method.label()),
            t.l(a.payment_method.label())
        ));
    }
    if b.points_used != a.points_used {
        parts.push(format!("{} {} → {}", t.s("goods_edit.points_used"), b.points_used, a.points_used));
    }
    for (x, y) in before.shipments.iter().zip(&after.shipments) {
        if (&x.address, &x.phone, &x.requested_date, x.time_band) != (&y.address, &y.phone, &y.requested_date, y.time_band) {
            parts.push(format!("{}{} {}", t.s("goods.destination"), y.position, t.s("goods_edit.address")));
        }
    }
    if parts.is_empty()
        && before.lines.iter().map(|l| l.quantity).collect::<Vec<_>>() == after.lines.iter().map(|l| l.quantity).collect::<Vec<_>>()
    {
        return Flash::done(format!("{n}: {}", t.s("goods_edit.unchanged")));
    }
    Flash::done(format!("{n}: {}（{}）", t.s("goods_edit.saved"), parts.join("、")))
}

pub async fn save(State(app): State<App>, s: SignedIn, Path(number): Path<String>, RawForm(body): RawForm) -> Result<Response, WebError> {
    let form = crate::posted::Posted::parse(&body)?;
    let f = edit::form(&app, &s.user.actor, &number).await?;
    let t = s.ctx.t();
    let (dests, amounts) = typed(&form, &f);
    let r = match request(&dests, &amounts, &f, &t) {
        Ok(r) => r,
        Err(e) => {
            return page(
                &s,
                &f,
                dests,
                amounts,
                StatusCode::UNPROCESSABLE_ENTITY,
                FormErrors::of_inputs(&e, input_of),
            );
        }
    };
    match edit::edit(&app, &s.user.actor, &number, &r).await {
        Ok(after) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/shipping/orders/{number}"),
            said_done(&s, &f.view, &after),
        )),
        Err(AppError::Invalid(e)) => page(
            &s,
            &f,
            dests,
            amounts,
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::of_inputs(&e, input_of),
        ),
        Err(e @ AppError::Order(_)) => {
            let (status, _) = crate::error::classify(&e);
            let message = t.said(&crate::error::public_message(&e));
            page(&s, &f, dests, amounts, status, FormErrors::general(message))
        }
        Err(e) => Err(e.into()),
    }
}
