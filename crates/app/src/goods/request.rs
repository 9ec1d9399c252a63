//! A goods order request as the API and the storefront send it, and its checks: every field
//! with a problem is named at once (a destination's by its number: 「お届け先2: …」).

use crate::customers::CustomerInput;
use crate::{App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::{self, TimeBand};
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::{self, Collect, FieldError, FieldErrors};
use kippu_store::AnyConnection;
use kippu_store::merchants::StoreRow;
use kippu_store::orders::{self, ProductForSale};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// At most this many destinations and lines per order: more is a typing error.
pub const MAX_DESTINATIONS: usize = 20;
pub const MAX_LINES: usize = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub product_code: String,
    #[serde(default = "one")]
    pub quantity: i64,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationRequest {
    pub name: String,
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    pub lines: Vec<LineRequest>,
    /// お届け希望日 (`YYYY-MM-DD`).
    #[serde(default)]
    pub requested_date: Option<String>,
    /// 配達時間帯: `morning`, `14-16`, `16-18`, `18-20`, `19-21`.
    #[serde(default)]
    pub time_band: Option<String>,
}

/// `POST /api/v1/orders` for goods: lines (`product_code`/`quantity` or `lines`) shipped to
/// the customer, to `destinations`, or picked up at the store (`pickup`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsOrderRequest {
    #[serde(default)]
    pub product_code: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub lines: Vec<LineRequest>,
    pub payment_method: String,
    #[serde(default)]
    pub card_token: Option<String>,
    /// The orderer's stored card (登録クレジットカード) instead of a token.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Left out when `customer_id` names a stored customer.
    #[serde(default)]
    pub customer: CustomerInput,
    #[serde(default)]
    pub destinations: Vec<DestinationRequest>,
    #[serde(default)]
    pub pickup: bool,
    /// 店舗受取: the store (its 店舗コード) the buyer collects from; one of the merchant's stores.
    #[serde(default)]
    pub store_code: Option<String>,
    #[serde(default)]
    pub requested_date: Option<String>,
    #[serde(default)]
    pub time_band: Option<String>,
    /// クーポンコード: one of the merchant's coupons; its discount comes off the goods.
    #[serde(default)]
    pub coupon_code: Option<String>,
    /// ADコード (媒体): the advertising medium the order came from.
    #[serde(default)]
    pub ad_code: Option<String>,
    /// 代理注文's fields (`crate::entry`): the stored customer, fee overrides, memos, the mail.
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub shipping_fee: Option<i64>,
    #[serde(default)]
    pub handling_fee: Option<i64>,
    #[serde(default)]
    pub memo_inquiry: Option<String>,
    #[serde(default)]
    pub memo_shop: Option<String>,
    /// False: no 注文完了メール to the buyer.
    #[serde(default)]
    pub send_mail: Option<bool>,
    /// 定期: this order is the first of a subscription master with this cycle or 頒布会.
    #[serde(default)]
    pub subscription: Option<crate::callcenter::subscriptions::SubscriptionRequest>,
}

/// A destination checked: who, where, what.
pub(super) struct Checked {
    pub(super) pickup: bool,
    pub(super) name: String,
    pub(super) kana: String,
    pub(super) postal_code: String,
    pub(super) address: String,
    pub(super) phone: String,
    pub(super) requested_date: Option<String>,
    pub(super) time_band: Option<TimeBand>,
    pub(super) lines: Vec<(ProductForSale, i64)>,
    /// 店舗受取: where.
    pub(super) store: Option<StoreRow>,
}

impl Checked {
    pub(super) fn goods_total(&self) -> i64 {
        self.lines.iter().map(|(p, q)| p.price * q).sum()
    }
}

/// `destinations[i].field`: a destination's field as the API names it (0-based, as JSON), so a
/// form can put each message beside its own destination's input.
pub fn destination_field(i: usize, field: &'static str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashMap<(usize, &'static str), &'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    // At most MAX_DESTINATIONS × a dozen field names, made once each for the process's life.
    names
        .entry((i, field))
        .or_insert_with(|| Box::leak(format!("destinations[{i}].{field}").into_boxed_str()))
}

/// `destinations[i].field` read back: the destination's index and its field.
pub fn parse_destination_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("destinations[")?;
    let (i, field) = rest.split_once("].")?;
    Some((i.parse().ok()?, field))
}

/// A delivery address checked for a carrier: it names its prefecture and a house number; what
/// the buyer left out before the house number comes from the postal code's entry.
fn delivery_address(field: &'static str, at: &str, typed: &str, postal: &str) -> std::result::Result<String, FieldError> {
    let typed = kippu_domain::normalize::text(typed);
    let found = crate::postal::lookup(postal);
    let entry = found.as_ref().map(|p| goods::address::PostalEntry {
        prefecture: &p.prefecture,
        city: &p.city,
        town: &p.town,
    });
    let full = goods::address::complete(&typed, entry).map_err(|m| FieldError::new(field, format!("{at}{}", m.message())))?;
    if full.chars().count() > 200 {
        return Err(FieldError::new(field, format!("{at}住所は200文字以内で入力してください")));
    }
    // Carrier files are CP932: an address it cannot hold could not go on a label.
    validate::cp932(field, &full).map_err(|e| of_destination(at, e))?;
    Ok(full)
}

/// A destination's field error, its message naming the destination (「お届け先2: …」).
fn of_destination(at: &str, e: FieldError) -> FieldError {
    FieldError::new(e.field, format!("{at}{}", e.message))
}

fn date_field(field: &'static str, at: &str, raw: &Option<String>, today: time::Date) -> std::result::Result<Option<String>, FieldError> {
    let Some(d) = raw.as_deref().map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    match kippu_domain::clock::parse_date(d) {
        Some(date) if date >= today => Ok(Some(date.to_string())),
        Some(_) => Err(FieldError::new(field, format!("{at}お届け希望日 {d} は過ぎた日付です"))),
        None => Err(FieldError::new(field, format!("{at}お届け希望日は YYYY-MM-DD で指定してください"))),
    }
}

fn band_field(field: &'static str, at: &str, raw: &Option<String>) -> std::result::Result<Option<TimeBand>, FieldError> {
    match raw.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(None),
        Some(b) => TimeBand::parse(b).map(Some).ok_or_else(|| {
            FieldError::new(
                field,
                format!("{at}配達時間帯は morning, 14-16, 16-18, 18-20, 19-21 のいずれかです"),
            )
        }),
    }
}

async fn lines(
    conn: &mut AnyConnection,
    m: MerchantId,
    errs: &mut Collect,
    (at, field): (&str, &(dyn Fn(&'static str) -> &'static str + Sync)),
    requested: &[LineRequest],
) -> Result<Vec<(ProductForSale, i64)>> {
    if requested.is_empty() {
        errs.push(FieldError::new(field("lines"), format!("{at}商品を1つ以上指定してください")));
    }
    if requested.len() > MAX_LINES {
        errs.push(FieldError::new(field("lines"), format!("{at}商品は{MAX_LINES}行までです")));
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for l in requested {
        let code = l.product_code.trim();
        let product = orders::product_by_code(conn, m, code)
            .await?
            .filter(|p| p.archived == 0 && p.kind == ProductKind::Goods);
        match product {
            None => errs.push(FieldError::new(
                field("lines.product_code"),
                format!("{at}商品コード {code} の販売中の物販商品はありません"),
            )),
            Some(_) if !(1..=999).contains(&l.quantity) => errs.push(FieldError::new(
                field("lines.quantity"),
                format!("{at}{code} の数量は1〜999で指定してください"),
            )),
            Some(p) => out.push((p, l.quantity)),
        }
    }
    Ok(out)
}

/// The store a pickup is collected from: none named, or one of the merchant's stores.
async fn pickup_store(conn: &mut AnyConnection, m: MerchantId, errs: &mut Collect, r: &GoodsOrderRequest) -> Result<Option<StoreRow>> {
    let Some(code) = r.store_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if !r.pickup {
        errs.push(FieldError::new("store_code", "受け取る店舗は店舗受取のときに指定します"));
        return Ok(None);
    }
    let found = kippu_store::merchants::find_store(conn, m, code).await?;
    if found.is_none() {
        errs.push(FieldError::new("store_code", "表示されている店舗から選んでください"));
    }
    Ok(found)
}

/// Who a destination goes to, and when, as checked.
pub(super) struct Contact {
    pub(super) name: String,
    pub(super) kana: String,
    pub(super) postal_code: String,
    pub(super) address: String,
    pub(super) phone: String,
    pub(super) requested_date: Option<String>,
    pub(super) time_band: Option<TimeBand>,
}

/// Destination `i`'s name, kana, postal code, address, phone, date and time band; each error
/// names the destination (「お届け先2: …」) and its field (`destinations[1].address`).
pub(super) fn check_contact(dest_errs: &mut Collect, i: usize, d: &DestinationRequest, today: time::Date) -> Option<Contact> {
    let at = format!("お届け先{}: ", i + 1);
    let field = |f: &'static str| destination_field(i, f);
    // Carrier files are CP932: a name or address it cannot hold could not go on a label.
    let name = dest_errs.take(
        validate::required_text(field("name"), &d.name, 100)
            .and_then(|n| validate::cp932(field("name"), &n).map(|_| n))
            .map_err(|e| of_destination(&at, e)),
    );
    let kana = if d.kana.trim().is_empty() {
        Some(String::new())
    } else {
        dest_errs.take(validate::kana(field("kana"), &d.kana).map_err(|e| of_destination(&at, e)))
    };
    let postal = dest_errs.take(
        crate::postal::digits(&d.postal_code)
            .map(|p| crate::postal::formatted(&p))
            .ok_or_else(|| FieldError::new(field("postal_code"), format!("{at}郵便番号は7桁の数字で入力してください"))),
    );
    let address = dest_errs.take(delivery_address(field("address"), &at, &d.address, postal.as_deref().unwrap_or("")));
    let phone = dest_errs.take(validate::phone(field("phone"), &d.phone).map_err(|e| of_destination(&at, e)));
    let requested_date = dest_errs.take(date_field(field("requested_date"), &at, &d.requested_date, today));
    let time_band = dest_errs.take(band_field(field("time_band"), &at, &d.time_band));
    Some(Contact {
        name: name?,
        kana: kana?,
        postal_code: postal?,
        address: address?,
        phone: phone?,
        requested_date: requested_date?,
        time_band: time_band?,
    })
}

pub(super) async fn check(
    app: &App,
    m: MerchantId,
    r: &GoodsOrderRequest,
) -> Result<(PaymentMethod, kippu_store::people::CustomerFields, Vec<Checked>)> {
    let today = app.clock.today();
    let mut errs = Collect::default();
    // A destination's errors each name it, so none is merged with another destination's.
    let mut dest_errs = Collect::default();
    let method = errs.take(
        PaymentMethod::parse(r.payment_method.trim())
            .filter(|p| goods::PAYMENT_METHODS.contains(p))
            .ok_or_else(|| {
                FieldError::new(
                    "payment_method",
                    "card_auth, card_capture, bank_store, cod, konbini, store_pay のいずれかを指定してください",
                )
            }),
    );
    if matches!(method, Some(PaymentMethod::CardAuth | PaymentMethod::CardCapture))
        && let Some(e) = crate::orders::card_payment::check_fields(r.card_token.as_deref(), r.card_id.as_deref())
    {
        errs.push(e);
    }
    if r.pickup && method == Some(PaymentMethod::Cod) {
        errs.push(FieldError::new("payment_method", "店舗受取では代金引換を選べません"));
    }
    let mut customer = errs.take_all(crate::customers::validate(&r.customer));
    let mut conn = app.store.conn().await?;
    let top_lines: Vec<LineRequest> = match (&r.product_code, r.quantity) {
        (Some(code), q) => vec![LineRequest {
            product_code: code.clone(),
            quantity: q.unwrap_or(1),
        }]
        .into_iter()
        .chain(r.lines.iter().cloned())
        .collect(),
        (None, _) => r.lines.clone(),
    };
    let mut destinations = Vec::new();
    if r.destinations.is_empty() {
        // Shipped to the customer, or picked up at the store.
        let lines = lines(&mut conn, m, &mut errs, ("", &|f| f), &top_lines).await?;
        let store = pickup_store(&mut conn, m, &mut errs, r).await?;
        let requested_date = if r.pickup {
            Ok(None)
        } else {
            date_field("requested_date", "", &r.requested_date, today)
        };
        let time_band = if r.pickup {
            Ok(None)
        } else {
            band_field("time_band", "", &r.time_band)
        };
        let (requested_date, time_band) = (errs.take(requested_date), errs.take(time_band));
        let address = if r.pickup {
            Some(String::new())
        } else {
            let postal = customer.as_ref().map(|c| c.postal_code.as_str()).unwrap_or("");
            errs.take(delivery_address("customer.address", "", &r.customer.address, postal))
        };
        if let (Some(c), Some(address), Some(requested_date), Some(time_band)) = (&mut customer, address, requested_date, time_band) {
            if !r.pickup {
                c.address = address;
            }
            destinations.push(Checked {
                pickup: r.pickup,
                name: c.name.clone(),
                kana: c.kana.clone(),
                postal_code: c.postal_code.clone(),
                address: c.address.clone(),
                phone: c.phone.clone(),
                requested_date,
                time_band,
                lines,
                store,
            });
        }
    } else {
        if r.pickup || r.store_code.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            errs.push(FieldError::new("pickup", "店舗受取とお届け先は同時に指定できません"));
        }
        if !top_lines.is_empty() {
            errs.push(FieldError::new(
                "lines",
                "お届け先があるときは、商品を各お届け先の lines に指定してください",
            ));
        }
        if r.destinations.len() > MAX_DESTINATIONS {
            errs.push(FieldError::new("destinations", format!("お届け先は{MAX_DESTINATIONS}件までです")));
        }
        for (i, d) in r.destinations.iter().take(MAX_DESTINATIONS).enumerate() {
            let at = format!("お届け先{}: ", i + 1);
            let field = |f: &'static str| destination_field(i, f);
            let contact = check_contact(&mut dest_errs, i, d, today);
            let lines = lines(&mut conn, m, &mut dest_errs, (&at, &field), &d.lines).await?;
            if let Some(c) = contact {
                destinations.push(Checked {
                    pickup: false,
                    name: c.name,
                    kana: c.kana,
                    postal_code: c.postal_code,
                    address: c.address,
                    phone: c.phone,
                    requested_date: c.requested_date,
                    time_band: c.time_band,
                    lines,
                    store: None,
                });
            }
        }
    }
    FieldErrors::merge(errs.finish(), dest_errs.finish_all())?;
    match (method, customer) {
        (Some(method), Some(customer)) => Ok((method, customer, destinations)),
        _ => Err(AppError::Internal("a goods order without a value but without an error".into())),
    }
}

/// The order as attempted, for the fraud rules and a rejected order's record: the orderer, and
/// every destination's address and lines.
pub(super) fn attempt_of<'a>(
    method: PaymentMethod,
    amount: i64,
    customer: &'a kippu_store::people::CustomerFields,
    destinations: &'a [Checked],
) -> crate::callcenter::rejected::Attempt<'a> {
    use crate::callcenter::rejected::{Attempt, AttemptLine};
    Attempt {
        method,
        amount,
        name: &customer.name,
        kana: &customer.kana,
        email: &customer.email,
        phone: &customer.phone,
        postal_code: &customer.postal_code,
        address: &customer.address,
        other_addresses: destinations.iter().filter(|d| !d.pickup).map(|d| d.address.as_str()).collect(),
        lines: destinations
            .iter()
            .flat_map(|d| d.lines.iter())
            .map(|(p, q)| AttemptLine {
                product_code: p.code.clone(),
                name: p.name.clone(),
                quantity: *q,
                unit_price: p.price,
            })
            .collect(),
    }
}
