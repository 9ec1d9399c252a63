//! Demo data of the call centre (seed 003) for DEMO1, so the console's first screens have
//! something to show: code coupons (yen, percent, one expired), AD codes, a 頒布会 course, two
//! stored cards of 山田 花子 registered through the sandbox gateway, a 定期 master of hers (active)
//! and a paused 頒布会 master of 佐藤 健一's, a few 対応履歴 entries over the last days, two 自由メモ
//! (one shared) and a rejected order (a declined card). Everything goes through the use cases
//! the screens call, as DEMO1's administrator and its call-centre operator; each part is made
//! only while DEMO1 has none of it, so loading twice adds nothing. Runs after
//! [`super::load_orders`], whose "no orders yet" test these orders would otherwise trip.

use crate::callcenter::interactions::{self, EntryInput, Search};
use crate::callcenter::notes::{self, NoteInput};
use crate::callcenter::subscriptions::{self as subs, SubscriptionRequest, courses};
use crate::callcenter::{cards, rejected};
use crate::goods::{self, DestinationRequest, GoodsOrderRequest, LineRequest};
use crate::{Actor, App, AppError, Result, accounts, ad_codes, coupons};
use kippu_domain::adcode::AdCodeInput;
use kippu_domain::coupon::CouponInput;
use kippu_domain::paging::Paging;
use kippu_domain::subscription::MasterAction;
use kippu_domain::{CustomerId, MerchantId};
use kippu_store::{merchants, people};
use time::Duration;

/// The 頒布会 course's code.
pub const COURSE: &str = "TEA-COURSE";

/// DEMO1's people of the console: its administrator, its operator, and its first two
/// customers' ids (山田 花子, 佐藤 健一).
struct Cast {
    m: MerchantId,
    admin: Actor,
    operator: Actor,
    hanako: CustomerId,
    kenichi: CustomerId,
}

async fn cast(app: &App) -> Result<Option<Cast>> {
    let mut conn = app.store.conn().await?;
    let Some(m) = merchants::find_by_code(&mut conn, "DEMO1").await? else {
        return Ok(None);
    };
    let user = |login: &'static str| async move {
        let mut conn = app.store.conn().await?;
        let u = people::find_user_by_login(&mut conn, login).await?;
        u.map(|u| accounts::actor_for(&u))
            .ok_or_else(|| AppError::Internal(format!("demo user {login} missing")))
    };
    let customer = |email: &'static str| async move {
        let mut conn = app.store.conn().await?;
        let c = people::find_customer_by_email(&mut conn, m.id, email).await?;
        c.map(|c| CustomerId(c.id))
            .ok_or_else(|| AppError::Internal(format!("demo customer {email} missing")))
    };
    drop(conn);
    Ok(Some(Cast {
        m: m.id,
        admin: user("demo1-admin").await?,
        operator: user("demo1-cc").await?,
        hanako: customer("hanako.yamada@example.jp").await?,
        kenichi: customer("kenichi.sato@example.jp").await?,
    }))
}

/// Loads DEMO1's call-centre data; how many parts were made (0 when all were there).
pub async fn load(app: &App) -> Result<usize> {
    let Some(c) = cast(app).await? else { return Ok(0) };
    let mut made = 0;
    made += usize::from(promotions(app, &c).await?);
    made += usize::from(course(app, &c).await?);
    made += usize::from(stored_cards(app, &c).await?);
    made += usize::from(entries(app, &c).await?);
    made += usize::from(free_notes(app, &c).await?);
    made += usize::from(masters(app, &c).await?);
    made += usize::from(rejected_order(app, &c).await?);
    Ok(made)
}

/// Coupons and AD codes, each set while the merchant has none.
async fn promotions(app: &App, c: &Cast) -> Result<bool> {
    let today = app.clock.today();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let mut made = false;
    if coupons::list(app, &c.admin, Paging::first(1)).await?.total == 0 {
        // (code, name, kind, value, from, to, minimum, per customer)
        let list = [
            ("WELCOME500", "初回500円引き", "yen", "500", day(-30), day(60), "3000", "1"),
            ("SPRING10", "春の10%オフ", "percent", "10", day(-7), day(30), "", ""),
            (
                "TEL300",
                "お電話注文300円引き",
                "yen",
                "300",
                String::new(),
                String::new(),
                "2000",
                "",
            ),
            ("SUMMER20", "夏の20%オフ（終了）", "percent", "20", day(-120), day(-30), "", ""),
        ];
        for (code, name, kind, value, from, to, min, per) in list {
            let input = CouponInput {
                code: code.into(),
                name: name.into(),
                discount_kind: kind.into(),
                discount_value: value.into(),
                valid_from: from,
                valid_to: to,
                min_amount: min.into(),
                per_customer: per.into(),
                total_limit: String::new(),
                enabled: true,
            };
            coupons::create(app, &c.admin, &input).await?;
        }
        made = true;
    }
    if ad_codes::list(app, &c.admin, Paging::first(1)).await?.total == 0 {
        let list = [
            ("NEWSPAPER01", "新聞折込チラシ（地域版）", day(-30), day(60)),
            ("RADIO-AM", "ラジオCM（AM）", day(-14), String::new()),
            ("CATALOG-W", "冬のカタログ", String::new(), String::new()),
        ];
        for (code, name, from, to) in list {
            let input = AdCodeInput {
                code: code.into(),
                name: name.into(),
                valid_from: from,
                valid_to: to,
                enabled: true,
            };
            ad_codes::create(app, &c.admin, &input).await?;
        }
        made = true;
    }
    Ok(made)
}

/// A 頒布会 of the demo's goods: tea, towel, tea.
async fn course(app: &App, c: &Cast) -> Result<bool> {
    if !courses::list(app, &c.admin).await?.is_empty() {
        return Ok(false);
    }
    let input = courses::CourseInput {
        code: COURSE.into(),
        name: "お茶とタオルの頒布会（3回）".into(),
        products: "GOODS-TEA\nGOODS-TOWEL\nGOODS-TEA".into(),
    };
    courses::define(app, &c.admin, &input).await?;
    Ok(true)
}

/// 山田 花子's VISA and Mastercard, registered at the sandbox payment company.
async fn stored_cards(app: &App, c: &Cast) -> Result<bool> {
    if !cards::list(app, &c.operator, c.hanako.0).await?.is_empty() {
        return Ok(false);
    }
    for token in ["tok_visa", "tok_master"] {
        cards::register(app, &c.operator, c.hanako.0, token).await?;
    }
    Ok(true)
}

/// 対応履歴 over the last six days, with the default categories and summaries.
async fn entries(app: &App, c: &Cast) -> Result<bool> {
    let any = interactions::list(app, &c.operator, &Search::default(), Paging::first(1)).await?;
    if any.total > 0 {
        return Ok(false);
    }
    let now = app.clock.now().to_offset(kippu_domain::clock::JST);
    // (customer, days ago, time, category, summary, content)
    let list = [
        (
            c.hanako,
            6,
            "10:05",
            "電話",
            "問い合わせ",
            "緑茶ティーバッグの賞味期限について。製造から12ヶ月とご案内。",
        ),
        (
            c.kenichi,
            5,
            "14:30",
            "メール",
            "変更",
            "頒布会2回目のお届け先を勤務先に変更したいとのご依頼。",
        ),
        (
            c.hanako,
            3,
            "11:20",
            "電話",
            "クレーム",
            "前回のタオルの色が写真と違うとのこと。交換をご案内し了承いただく。",
        ),
        (
            c.hanako,
            1,
            "16:45",
            "手紙",
            "問い合わせ",
            "お礼状が届く。次回の定期便にサンプルを同梱予定。",
        ),
    ];
    for (customer, days, at, category, summary, content) in list {
        let date = (now - Duration::days(days)).date();
        let input = EntryInput {
            customer: Some(customer.0),
            at: format!("{date} {at}"),
            category: category.into(),
            summary: summary.into(),
            content: content.into(),
            order_number: String::new(),
        };
        interactions::add(app, &c.operator, &input).await?;
    }
    Ok(true)
}

/// The operator's own note and a shared one, both about 山田 花子.
async fn free_notes(app: &App, c: &Cast) -> Result<bool> {
    if notes::list(app, &c.operator, None, Paging::first(1)).await?.total > 0 {
        return Ok(false);
    }
    let list = [
        ("午前中は不在がち。お電話は14時以降に。", true),
        ("次回、定期便の周期変更（2ヶ月→1ヶ月）を提案する。", false),
    ];
    for (body, shared) in list {
        let input = NoteInput {
            body: body.into(),
            shared: shared.then(|| "1".to_string()),
            customer: Some(c.hanako.0),
        };
        notes::add(app, &c.operator, &input).await?;
    }
    Ok(true)
}

/// An order the operator takes for `customer`, shipped to 浅草 (mail off: demo data).
fn console_order(customer: CustomerId, ship_to: &str, product: &str, quantity: i64) -> GoodsOrderRequest {
    GoodsOrderRequest {
        customer_id: Some(customer.0),
        payment_method: "bank_store".into(),
        destinations: vec![DestinationRequest {
            name: ship_to.into(),
            kana: String::new(),
            postal_code: "111-0032".into(),
            address: "東京都台東区浅草1-2-3".into(),
            phone: "090-1111-2222".into(),
            lines: vec![LineRequest {
                product_code: product.into(),
                quantity,
            }],
            requested_date: None,
            time_band: None,
        }],
        send_mail: Some(false),
        ..GoodsOrderRequest::default()
    }
}

/// 山田 花子's 定期 (every two months on the 10th, paid by her stored VISA: never due within
/// the month a `KIPPU_FAKE_NOW` test moves ahead) and 佐藤 健一's 頒布会, paused.
async fn masters(app: &App, c: &Cast) -> Result<bool> {
    if !subs::list(app, &c.operator, &subs::ListQuery::default()).await?.rows.is_empty() {
        return Ok(false);
    }
    let card = cards::list(app, &c.operator, c.hanako.0)
        .await?
        .into_iter()
        .find(|k| k.brand == "VISA");
    let mut teiki = console_order(c.hanako, "山田 花子", "GOODS-TEA", 2);
    // The merchant's card mode (仮実同時 since the demo orders), or a transfer without a card.
    if let Some(card) = card {
        let mode = {
            let mut conn = app.store.conn().await?;
            merchants::get(&mut conn, c.m).await?.map(|m| m.card_mode)
        };
        if let Some(mode) = mode {
            teiki.payment_method = mode.as_str().into();
            teiki.card_id = Some(card.card_id);
        }
    }
    teiki.subscription = Some(SubscriptionRequest {
        every_months: Some(2),
        day: Some(10),
        ..SubscriptionRequest::default()
    });
    teiki.memo_inquiry = Some("定期便のお申し込み（お電話）".into());
    goods::create(app, &c.operator, &teiki, None).await?;
    let mut course = console_order(c.kenichi, "佐藤 健一", "GOODS-TEA", 1);
    course.subscription = Some(SubscriptionRequest {
        course: Some(COURSE.into()),
        ..SubscriptionRequest::default()
    });
    let id = goods::create(app, &c.operator, &course, None)
        .await?
        .view
        .order
        .subscription_id
        .ok_or_else(|| AppError::Internal("the 頒布会 order made no master".into()))?;
    subs::act::act(app, &c.operator, id, MasterAction::Pause).await?;
    Ok(true)
}

/// 山田 花子's order refused by the card company (the sandbox's declined card).
async fn rejected_order(app: &App, c: &Cast) -> Result<bool> {
    let none = rejected::filter_of(None, None, None, None)?;
    if rejected::list(app, &c.operator, &none, Paging::first(1)).await?.total > 0 {
        return Ok(false);
    }
    let mode = {
        let mut conn = app.store.conn().await?;
        merchants::get(&mut conn, c.m).await?.map(|m| m.card_mode)
    };
    let Some(mode) = mode else { return Ok(false) };
    let mut r = console_order(c.hanako, "山田 花子", "GOODS-TOWEL", 3);
    r.payment_method = mode.as_str().into();
    r.card_token = Some("tok_declined".into());
    match goods::create(app, &c.operator, &r, None).await {
        Err(e) if !e.is_internal() => Ok(true),
        Err(e) => Err(e),
        Ok(o) => Err(AppError::Internal(format!(
            "the declined card's order {} was taken",
            o.view.order.order_number
        ))),
    }
}
