//! 受注一覧・管理 of goods: 全件 / 通常処理中・未入金 / 通常処理中・未発送 / 処理済み.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kippu_app::goods::{self, GoodsTab};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::goods::labels::LabelFormat;
use kippu_domain::paging::Paging;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    tab: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    method: String,
    /// ステータス, 入金状況, 発送状況: a code each, empty for すべて.
    #[serde(default)]
    status: String,
    #[serde(default)]
    payment: String,
    #[serde(default)]
    shipping: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// さらに絞り込み: a carrier code, `yes`/`no` for tracking numbers and for store pickup.
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracked: String,
    #[serde(default)]
    pickup: String,
    page: Option<i64>,
    /// A download's layout (`standard` or a saved layout's id) and encoding.
    #[serde(default)]
    layout: String,
    #[serde(default)]
    encoding: String,
}

/// `yes` / `no` / empty of a さらに絞り込み choice.
fn yes_no(field: &'static str, s: &str) -> Result<Option<bool>, AppError> {
    match s.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        _ => Err(kippu_domain::validate::FieldError::new(field, "選択肢から選んでください").into()),
    }
}

impl ListQuery {
    /// The search, each value parsed once; a bad one names its field.
    fn search(&self) -> Result<goods::GoodsSearch, AppError> {
        let day = |field: &'static str, s: &str| -> Result<Option<time::Date>, AppError> {
            match s.trim() {
                "" => Ok(None),
                d => kippu_domain::clock::parse_date(d)
                    .map(Some)
                    .ok_or_else(|| kippu_domain::validate::FieldError::new(field, "日付は YYYY-MM-DD で指定してください").into()),
            }
        };
        let method = match self.method.trim() {
            "" => None,
            m => Some(
                kippu_domain::order::PaymentMethod::parse(m)
                    .filter(|p| kippu_domain::goods::PAYMENT_METHODS.contains(p))
                    .ok_or_else(|| kippu_domain::validate::FieldError::new("method", "決済種別を選択肢から選んでください"))?,
            ),
        };
        use kippu_domain::validate::choice;
        Ok(goods::GoodsSearch {
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            method,
            status: choice("status", self.status.trim())?,
            payment: choice("payment", self.payment.trim())?,
            shipping: choice("shipping", self.shipping.trim())?,
            from: day("from", &self.from)?,
            to: day("to", &self.to)?,
            carrier: match self.carrier.trim() {
                "" => None,
                c => Some(
                    kippu_domain::goods::Carrier::parse(c)
                        .ok_or_else(|| kippu_domain::validate::FieldError::new("carrier", "配送サービスを選択肢から選んでください"))?,
                ),
            },
            tracked: yes_no("tracked", &self.tracked)?,
            pickup: yes_no("pickup", &self.pickup)?,
        })
    }

    /// The search as a query string, for the tabs and the pager.
    fn as_query(&self) -> String {
        serde_urlencoded::to_string([
            ("q", &self.q),
            ("method", &self.method),
            ("status", &self.status),
            ("payment", &self.payment),
            ("shipping", &self.shipping),
            ("from", &self.from),
            ("to", &self.to),
            ("carrier", &self.carrier),
            ("tracked", &self.tracked),
            ("pickup", &self.pickup),
        ])
        .unwrap_or_default()
    }
}

/// An active filter shown above the list, in words, with the link that removes it.
pub struct Chip {
    key: &'static str,
    label: &'static str,
    value: String,
    remove: String,
}

impl ListQuery {
    /// The search's fields as (key, value, label key), in the form's order.
    fn fields(&self) -> [(&'static str, &String, &'static str); 10] {
        [
            ("q", &self.q, "common.search"),
            ("method", &self.method, "goods.method"),
            ("status", &self.status, "goods.status"),
            ("payment", &self.payment, "goods.payment"),
            ("shipping", &self.shipping, "goods.shipping"),
            ("from", &self.from, "goods.from"),
            ("to", &self.to, "goods.to"),
            ("carrier", &self.carrier, "goods.carrier"),
            ("tracked", &self.tracked, "goods.tracking"),
            ("pickup", &self.pickup, "goods.pickup"),
        ]
    }

    /// Each active filter as a chip: a status by its label, not its code; its × keeps the tab
    /// and every other filter.
    fn chips(&self, tab: &str, t: crate::i18n::T) -> Vec<Chip> {
        use kippu_domain::goods::{Carrier, OrderStatus, PaymentStatus, ShippingStatus};
        let fields = self.fields();
        fields
            .iter()
            .filter(|(_, v, _)| !v.trim().is_empty())
            .map(|(k, v, label)| {
                let words = match *k {
                    "method" => kippu_domain::order::PaymentMethod::parse(v).map(|x| t.l(x.label())),
                    "status" => OrderStatus::parse(v).map(|x| t.l(x.label())),
                    "payment" => PaymentStatus::parse(v).map(|x| t.l(x.label())),
                    "shipping" => ShippingStatus::parse(v).map(|x| t.l(x.label())),
                    "carrier" => Carrier::parse(v).map(|x| t.l(x.label())),
                    "tracked" => Some(t.s(if v.as_str() == "yes" {
                        "goods.tracked_yes"
                    } else {
                        "goods.tracked_no"
                    })),
                    "pickup" => Some(t.s(if v.as_str() == "yes" {
                        "goods.pickup_yes"
                    } else {
                        "goods.pickup_no"
                    })),
                    _ => None,
                };
                let rest: Vec<(&str, &str)> = std::iter::once(("tab", tab))
                    .chain(
                        fields
                            .iter()
                            .filter(|(other, val, _)| other != k && !val.trim().is_empty())
                            .map(|(other, val, _)| (*other, val.as_str())),
                    )
                    .collect();
                Chip {
                    key: k,
                    label: t.s(label),
                    value: words.map_or_else(|| v.to_string(), str::to_string),
                    remove: format!("/shipping/orders?{}", serde_urlencoded::to_string(rest).unwrap_or_default()),
                }
            })
            .collect()
    }
}

pub struct Row {
    number: String,
    ordered_at: String,
    name: String,
    phone: String,
    amount: String,
    method: &'static str,
    payment: &'static str,
    shipping: &'static str,
    status: &'static str,
    /// A checkbox for the bulk actions (none for コンビニ in 未入金).
    pickable: bool,
}

#[derive(Template)]
#[template(path = "goods_list.html")]
struct ListPage {
    c: Chrome,
    tabs: Vec<(&'static str, &'static str, bool)>,
    tab: String,
    q: String,
    method: String,
    from: String,
    to: String,
    /// `q=…&method=…&from=…&to=…`, for the tabs and the pager.
    search: String,
    methods: Vec<(&'static str, &'static str)>,
    /// The three statuses' choices, (code, label), and what is chosen.
    statuses: Vec<(&'static str, &'static str)>,
    payments: Vec<(&'static str, &'static str)>,
    shippings: Vec<(&'static str, &'static str)>,
    status: String,
    payment: String,
    shipping: String,
    carriers: Vec<(&'static str, &'static str)>,
    /// The carriers' label layouts the list downloads: (code, name).
    label_formats: Vec<(&'static str, &'static str)>,
    /// The merchant's saved CSV layouts: (id, name).
    layouts: Vec<(i64, String)>,
    /// The reader's default download encoding (`cp932` or `utf8`).
    encoding: &'static str,
    carrier: String,
    tracked: String,
    pickup: String,
    chips: Vec<Chip>,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
}

const TABS: [(&str, GoodsTab, &str); 4] = [
    ("all", GoodsTab::All, "goods.tab_all"),
    ("unpaid", GoodsTab::Unpaid, "goods.tab_unpaid"),
    ("unshipped", GoodsTab::Unshipped, "goods.tab_unshipped"),
    ("processed", GoodsTab::Processed, "goods.tab_processed"),
];

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let (code, tab) = tab_of(&q.tab, "all")?;
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let page = goods::list(&app, &s.user.actor, tab, &q.search()?, paging).await?;
    let rows = page
        .orders
        .iter()
        .map(|v| Row {
            number: v.order.order_number.clone(),
            ordered_at: t.datetime_ms(v.order.ordered_at),
            name: v.order.customer_name.clone(),
            phone: v.order.customer_phone.clone(),
            amount: Yen(v.order.amount).display_ja(),
            method: t.l(v.order.payment_method.label()),
            payment: if v.payment_tracked() {
                t.l(v.order.payment_status.label())
            } else {
                t.s("goods.cod_untracked_short")
            },
            shipping: t.l(v.progress().label()),
            status: t.l(v.order.status.label()),
            pickable: v.pickable_in(tab),
        })
        .collect();
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "goods.list_title"),
        tabs: TABS.iter().map(|(c, _, l)| (*c, t.s(l), *c == code)).collect(),
        tab: code.to_string(),
        label_formats: LabelFormat::ALL.iter().map(|f| (f.as_str(), t.l(f.label()))).collect(),
        layouts: goods::layouts::list(&app, &s.user.actor)
            .await?
            .into_iter()
            .map(|l| (l.id, l.name))
            .collect(),
        encoding: crate::csv_stream::default_for(s.ctx.lang).label(),
        search: q.as_query(),
        chips: q.chips(code, t),
        methods: kippu_domain::goods::PAYMENT_METHODS
            .iter()
            .map(|m| (m.as_str(), t.l(m.label())))
            .collect(),
        statuses: kippu_domain::goods::OrderStatus::ALL
            .iter()
            .map(|c| (c.as_str(), t.l(c.label())))
            .collect(),
        payments: kippu_domain::goods::PaymentStatus::ALL
            .iter()
            .map(|c| (c.as_str(), t.l(c.label())))
            .collect(),
        shippings: kippu_domain::goods::ShippingStatus::ALL
            .iter()
            .map(|c| (c.as_str(), t.l(c.label())))
            .collect(),
        status: q.status.clone(),
        payment: q.payment.clone(),
        shipping: q.shipping.clone(),
        carriers: kippu_domain::goods::Carrier::ALL
            .iter()
            .map(|c| (c.as_str(), t.l(c.label())))
            .collect(),
        carrier: q.carrier.clone(),
        tracked: q.tracked.clone(),
        pickup: q.pickup.clone(),
        q: q.q,
        method: q.method,
        from: q.from,
        to: q.to,
        rows,
        total: page.total,
        page: page.page,
        pages: paging.pages(page.total).max(1),
    })
}

/// A tab by its code (`default` when none is given); an unknown one is not found.
fn tab_of<'a>(code: &'a str, default: &'a str) -> Result<(&'a str, GoodsTab), WebError> {
    let code = if code.is_empty() { default } else { code };
    let (_, tab, _) = TABS.iter().find(|(c, _, _)| *c == code).ok_or(WebError::NotFound)?;
    Ok((code, *tab))
}

/// 検索結果をダウンロード: the tab's whole search in the chosen layout and encoding.
pub async fn download(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let (_, tab) = tab_of(&q.tab, "all")?;
    let search = q.search()?;
    let choice = goods::layouts::LayoutChoice::parse(&q.layout).map_err(AppError::from)?;
    let layout = goods::layouts::resolve(&app, &s.user.actor, choice).await?;
    let enc = kippu_app::csv_out::Encoding::choose(&q.encoding, crate::csv_stream::default_for(s.ctx.lang)).map_err(AppError::from)?;
    let actor = s.user.actor.clone();
    Ok(crate::csv_stream::stream(&app.clone(), "goods-orders", enc, move |tx| async move {
        goods::download::orders_csv(&app, &actor, tab, &search, &layout, enc, tx).await
    }))
}

/// The tab's orders in B2クラウド's import layout (CP932), to print the labels from; the
/// address the list has linked since before the other carriers' layouts.
pub async fn export_b2(app: State<App>, s: SignedIn, q: Query<ListQuery>) -> Result<Response, WebError> {
    export_labels(app, s, Path("b2.csv".to_string()), q).await
}

/// The search's unshipped destinations in a carrier's label layout (`b2.csv`, `ehiden3.csv`,
/// `yupri.csv`; CP932). Without a tab, 通常処理中・未発送.
pub async fn export_labels(
    State(app): State<App>,
    s: SignedIn,
    Path(file): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    s.user.actor.merchant().map_err(|_| WebError::NotFound)?;
    let format = file.strip_suffix(".csv").and_then(LabelFormat::parse).ok_or(WebError::NotFound)?;
    let (_, tab) = tab_of(&q.tab, "unshipped")?;
    let search = q.search()?;
    let actor = s.user.actor.clone();
    Ok(crate::csv_stream::stream(
        &app.clone(),
        format.as_str(),
        kippu_app::csv_out::Encoding::Cp932,
        move |tx| async move { goods::export::labels(&app, &actor, format, tab, &search, tx).await },
    ))
}
