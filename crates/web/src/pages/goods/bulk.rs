//! 一括処理 of goods orders from the list: 注文を発送済みにする (with the notice and 処理済み as
//! options), 注文を入金済みにする (with the notice), 注文を処理済みにする. The confirmation screen
//! lists every row OK / NG with the goods rule's reason; its button counts the OK rows.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::ok;
use askama::Template;
use axum::extract::{RawForm, State};
use axum::response::Response;
use kippu_app::goods::{self, GoodsBulk};
use kippu_app::orders::BulkReport;
use kippu_app::{App, AppError};

#[derive(Template)]
#[template(path = "goods_bulk.html")]
struct BulkPage {
    c: Chrome,
    action: String,
    title: &'static str,
    report: BulkReport,
    executed: bool,
    keys: Vec<String>,
    notify: bool,
    also_process: bool,
}

pub async fn bulk(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    let form = crate::posted::Posted::parse(&body)?;
    let get = |k: &str| form.one(k);
    let mut keys: Vec<String> = form.all("order").map(str::to_string).collect();
    // 出荷データ一括登録 offers the notices of the orders it marked shipped by naming its run.
    let from_import = get("import");
    if !from_import.is_empty() {
        let id = from_import.trim().parse().map_err(|_| WebError::NotFound)?;
        keys = kippu_app::goods::import::shipped_orders(&app, &s.user.actor, id).await?;
    }
    let (notify, also_process) = (!get("notify").is_empty(), !get("also_process").is_empty());
    let name = get("bulk");
    let action = GoodsBulk::named(&name, also_process, notify).ok_or(WebError::NotFound)?;
    let title = match action {
        GoodsBulk::Ship { .. } => "goods.bulk_ship",
        GoodsBulk::MarkPaid { .. } => "goods.bulk_mark_paid",
        GoodsBulk::Process => "goods.bulk_process",
        GoodsBulk::NotifyShipped => "goods.bulk_notify_shipped",
    };
    let executed = get("execute") == "1";
    let report = match goods::bulk(&app, &s.user.actor, action, &keys, !executed).await {
        Ok(r) => r,
        Err(AppError::Invalid(e)) => {
            return Ok(flash::redirect(
                s.ctx.secure_cookies,
                "/shipping/orders",
                Flash::refused(e.message.clone()),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    ok(BulkPage {
        c: Chrome::signed_in(&s.ctx, "goods.list_title"),
        action: name,
        title: s.ctx.t().s(title),
        report,
        executed,
        keys,
        notify,
        also_process,
    })
}
