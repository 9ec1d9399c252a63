//! Demo data: one platform operator and two merchants (DEMO1, DEMO2), each with stores,
//! terminals, channels, products of every kind, stock and customers. Loading it twice changes
//! nothing: what exists is left alone.

use crate::{Actor, App, Result, audit, secrets};
use kippu_domain::account::Role;
use kippu_domain::catalog::ProductKind;
use kippu_store::merchants::{self, NewProduct};
use kippu_store::people::{self, CustomerFields, NewUser};
use time::Duration;

pub mod callcenter;
mod goods;
mod merchants_data;
use merchants_data::{MERCHANTS, Person};
mod payments;
pub mod vouchers;

pub struct DemoLogin {
    pub role: Role,
    pub merchant: Option<&'static str>,
    pub login_id: &'static str,
    pub password: &'static str,
}

/// Demo accounts sign in with these passwords directly (no forced change), so the quick start
/// is one command; real accounts made with `kippu user create` must change theirs.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin {
        role: Role::PlatformOperator,
        merchant: None,
        login_id: "operator",
        password: "Operator2026",
    },
    DemoLogin {
        role: Role::MerchantAdmin,
        merchant: Some("DEMO1"),
        login_id: "demo1-admin",
        password: "Demo1Admin",
    },
    DemoLogin {
        role: Role::MerchantStaff,
        merchant: Some("DEMO1"),
        login_id: "demo1-staff",
        password: "Demo1Staff",
    },
    DemoLogin {
        role: Role::CallCentre,
        merchant: Some("DEMO1"),
        login_id: "demo1-cc",
        password: "Demo1Call",
    },
    DemoLogin {
        role: Role::MerchantAdmin,
        merchant: Some("DEMO2"),
        login_id: "demo2-admin",
        password: "Demo2Admin",
    },
    DemoLogin {
        role: Role::MerchantStaff,
        merchant: Some("DEMO2"),
        login_id: "demo2-staff",
        password: "Demo2Staff",
    },
    DemoLogin {
        role: Role::CallCentre,
        merchant: Some("DEMO2"),
        login_id: "demo2-cc",
        password: "Demo2Call",
    },
];

const POLICY: &str = r#"[{"days_before":0,"percent_kept":100},{"days_before":3,"percent_kept":50}]"#;

/// (code, name, kind, ticket type, price, tax %, dated, slots)
type ProductSpec = (
    &'static str,
    &'static str,
    ProductKind,
    Option<&'static str>,
    i64,
    i64,
    bool,
    &'static [&'static str],
);

const PRODUCTS: &[ProductSpec] = &[
    (
        "WT-BASIC",
        "一般入場券",
        ProductKind::WebTicket,
        Some("basic"),
        2000,
        10,
        false,
        &[],
    ),
    (
        "WT-MULTI",
        "回数券（5回）",
        ProductKind::WebTicket,
        Some("multi_use"),
        8000,
        10,
        false,
        &[],
    ),
    (
        "WT-ROOM",
        "会議室A（1時間）",
        ProductKind::WebTicket,
        Some("rental"),
        3300,
        10,
        true,
        &["10:00", "13:00", "16:00"],
    ),
    (
        "WT-STAY",
        "ツインルーム（1室1泊）",
        ProductKind::WebTicket,
        Some("accommodation"),
        12000,
        10,
        true,
        &[],
    ),
    ("RSV-LUNCH", "ランチコース", ProductKind::Reservation, None, 4400, 10, true, &[]),
    ("GOODS-TOWEL", "オリジナルタオル", ProductKind::Goods, None, 1650, 10, false, &[]),
    ("GOODS-TEA", "緑茶ティーバッグ", ProductKind::Goods, None, 864, 8, false, &[]),
    (
        "VCH-KOSODATE",
        "子育て応援チケット",
        ProductKind::Voucher,
        None,
        1000,
        10,
        false,
        &[],
    ),
];

/// Loads the demo data and returns the logins to print.
pub async fn load(app: &App) -> Result<&'static [DemoLogin]> {
    let actor = Actor::system();
    let now = app.now_ms();
    let today = app.clock.today();
    {
        let mut tx = app.store.begin().await?;
        merchants::ensure_platform(&mut tx, "kippu", now).await?;
        // The platform's account 銀行振込・事務局口座 is paid into (a made-up one).
        if merchants::platform_bank(&mut tx).await?.bank_name.is_empty() {
            merchants::set_platform_bank(&mut tx, &payments::demo_platform_bank()).await?;
        }
        tx.commit().await?;
    }
    for m in MERCHANTS {
        let mut tx = app.store.begin().await?;
        if merchants::find_by_code(&mut tx, m.code).await?.is_some() {
            continue;
        }
        let mid = merchants::insert(&mut tx, m.code, m.name, &format!("info@{}.kippu.test", m.code.to_lowercase()), now).await?;
        merchants::update_bank(&mut tx, mid, &payments::demo_merchant_bank(m.code)).await?;
        for (i, (code, name, address, hours)) in m.stores.iter().enumerate() {
            let row = merchants::NewStoreRow {
                code,
                name,
                address,
                hours,
            };
            let sid = merchants::insert_store(&mut tx, mid, &row, now).await?;
            for t in 1..=2 {
                // Merchant, store and terminal digits first: unique among the demo terminals by
                // construction (passcodes are unique platform-wide), random after.
                let passcode = format!("{}{}{}{}", &m.code[4..], i + 1, t, secrets::random_digits(3));
                merchants::insert_terminal(
                    &mut tx,
                    &merchants::NewTerminal {
                        m: mid,
                        store_id: sid,
                        code: &format!("{code}-T{t}"),
                        name: &format!("{name} 端末{t}"),
                        qr_token: &secrets::random_token(16),
                        passcode: &passcode,
                    },
                    now,
                )
                .await?;
            }
        }
        merchants::insert_channel(&mut tx, mid, "OWN", "自社サイト", "own_site", now).await?;
        merchants::insert_channel(&mut tx, mid, "OTA1", "たびらく（OTA）", "ota", now).await?;
        for (code, name, kind, tt, price, tax, dated, slots) in PRODUCTS {
            let pid = merchants::insert_product(
                &mut tx,
                mid,
                &NewProduct {
                    code,
                    jan: "",
                    name,
                    kind: kind.as_str(),
                    ticket_type: *tt,
                    price: *price,
                    tax_rate: *tax,
                    cancellation_policy: if *kind == ProductKind::Reservation { POLICY } else { "[]" },
                },
                now,
            )
            .await?;
            if *dated {
                for d in 0..30 {
                    let date = (today + Duration::days(d)).to_string();
                    if slots.is_empty() {
                        merchants::set_stock(&mut tx, mid, pid, &date, "", 20, now).await?;
                    } else {
                        for s in *slots {
                            merchants::set_stock(&mut tx, mid, pid, &date, s, 1, now).await?;
                        }
                    }
                }
            } else if *kind != ProductKind::Voucher {
                merchants::set_stock(&mut tx, mid, pid, "", "", 500, now).await?;
            }
        }
        for (name, kana, email, phone, postal_code, address) in m.customers {
            people::insert_customer(
                &mut tx,
                mid,
                &CustomerFields {
                    name: name.to_string(),
                    kana: kana.to_string(),
                    email: email.to_string(),
                    phone: phone.to_string(),
                    postal_code: postal_code.to_string(),
                    address: address.to_string(),
                },
                now,
            )
            .await?;
        }
        let after = serde_json::json!({"code": m.code, "name": m.name});
        audit::record(
            &mut tx,
            &actor,
            Some(mid),
            audit::Subject::new("create", "merchant", mid),
            audit::NONE,
            Some(&after),
            now,
        )
        .await?;
        tx.commit().await?;
    }
    for l in LOGINS {
        let mut conn = app.store.conn().await?;
        if people::find_user_by_login(&mut conn, l.login_id).await?.is_some() {
            continue;
        }
        let merchant = match l.merchant {
            Some(code) => merchants::find_by_code(&mut conn, code).await?.map(|m| m.id),
            None => None,
        };
        drop(conn);
        let hash = secrets::hash_password(l.password).map_err(crate::AppError::Internal)?;
        let mut tx = app.store.begin().await?;
        people::insert_user(
            &mut tx,
            &NewUser {
                merchant_id: merchant,
                role: l.role.as_str(),
                login_id: l.login_id,
                display_name: l.login_id,
                email: &format!("{}@kippu.test", l.login_id),
                password_hash: &hash,
                must_change_password: false,
                admin_settings: l.role == Role::CallCentre,
            },
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(LOGINS)
}

/// Orders in every status of every payment flow, so a newcomer sees the whole order list.
/// Only for merchants that have no orders yet: loading twice adds nothing.
pub async fn load_orders(app: &App) -> Result<usize> {
    use crate::customers::CustomerInput;
    use crate::orders::{self, OrderRequest};
    use kippu_domain::web_ticket::Action;
    let mut made = 0;
    for code in ["DEMO1", "DEMO2"] {
        let m = {
            let mut conn = app.store.conn().await?;
            let Some(m) = merchants::find_by_code(&mut conn, code).await? else {
                continue;
            };
            let n: i64 = kippu_store::orders::count(
                &mut conn,
                app.store.backend(),
                &kippu_store::orders::OrderFilter {
                    merchant: Some(m.id),
                    ..Default::default()
                },
            )
            .await?;
            if n > 0 {
                continue;
            }
            m.id
        };
        let shop = Actor::unattended(m, Role::Customer, "storefront");
        let staff = Actor::unattended(m, Role::MerchantAdmin, "demo");
        let platform = Actor::system();
        let people = MERCHANTS.iter().find(|d| d.code == code).map(|d| d.customers).unwrap_or(&[]);
        let tomorrow = (app.clock.today() + Duration::days(1)).to_string();
        // (payment method, product, visit date and slot, steps with "by the platform")
        type Plan<'a> = (&'a str, &'a str, Option<(&'a str, Option<&'a str>)>, Vec<(Action, bool)>);
        let plans: Vec<Plan> = vec![
            ("bank_platform", "WT-BASIC", None, vec![]),
            ("bank_platform", "WT-BASIC", None, vec![(Action::ConfirmDeposit, true)]),
            (
                "bank_platform",
                "WT-MULTI",
                None,
                vec![(Action::ConfirmDeposit, true), (Action::Send, false)],
            ),
            ("bank_store", "WT-BASIC", None, vec![]),
            ("bank_store", "WT-BASIC", None, vec![(Action::MarkPaid, false)]),
            (
                "bank_store",
                "WT-BASIC",
                None,
                vec![(Action::MarkPaid, false), (Action::Send, false)],
            ),
            ("bank_store", "WT-BASIC", None, vec![(Action::Cancel, false)]),
            ("pay_at_venue", "WT-BASIC", None, vec![]),
            ("pay_at_venue", "WT-BASIC", None, vec![(Action::Receive, false)]),
            ("card_auth", "WT-ROOM", Some((tomorrow.as_str(), Some("13:00"))), vec![]),
            ("card_auth", "WT-BASIC", None, vec![(Action::Capture, false)]),
            ("card_auth", "WT-BASIC", None, vec![(Action::Cancel, false)]),
            ("card_capture", "WT-STAY", Some((tomorrow.as_str(), None)), vec![]),
            ("card_capture", "WT-BASIC", None, vec![(Action::SendSilently, false)]),
            (
                "card_capture",
                "WT-BASIC",
                None,
                vec![(Action::Send, false), (Action::RequestCancel, false)],
            ),
            (
                "card_capture",
                "WT-BASIC",
                None,
                vec![(Action::RequestCancel, false), (Action::CompleteCancelRequest, true)],
            ),
        ];
        for (i, (method, product, visit, steps)) in plans.into_iter().enumerate() {
            let (name, kana, email, phone, _, _) = people[i % people.len()];
            let r = OrderRequest {
                product_code: product.into(),
                quantity: 1 + (i as i64 % 3),
                visit_date: visit.map(|v| v.0.to_string()),
                time_slot: visit.and_then(|v| v.1).map(str::to_string),
                payment_method: method.into(),
                card_token: method.starts_with("card").then(|| "tok_visa".to_string()),
                card_id: None,
                channel: Some(if i % 4 == 3 { "OTA1" } else { "OWN" }.into()),
                party_size: None,
                // The demo's stay is two nights from tomorrow.
                nights: (product == "WT-STAY").then_some(2),
                customer: CustomerInput {
                    name: name.into(),
                    kana: kana.into(),
                    email: email.into(),
                    phone: phone.into(),
                    ..Default::default()
                },
                ..OrderRequest::default()
            };
            if method.starts_with("card") {
                payments::in_card_mode(app, m, method).await?;
            }
            let out = orders::create(app, &shop, &r, None).await?;
            let number = out.order.order.order_number.clone();
            for (action, by_platform) in steps {
                orders::act(app, if by_platform { &platform } else { &staff }, &number, action, None).await?;
            }
            made += 1;
        }
        // Reservations to try the door with: two today (one paid by card, one to pay at the
        // venue), one tomorrow through the OTA.
        let today = app.clock.today().to_string();
        for (i, (method, date, party, channel)) in [
            ("card_capture", today.as_str(), 2, "OWN"),
            ("pay_at_venue", today.as_str(), 3, "OWN"),
            ("card_capture", tomorrow.as_str(), 4, "OTA1"),
        ]
        .into_iter()
        .enumerate()
        {
            let (name, kana, email, phone, _, _) = people[(i + 3) % people.len()];
            let r = OrderRequest {
                product_code: "RSV-LUNCH".into(),
                quantity: 1,
                visit_date: Some(date.to_string()),
                time_slot: None,
                payment_method: method.into(),
                card_token: method.starts_with("card").then(|| "tok_visa".to_string()),
                card_id: None,
                channel: Some(channel.into()),
                party_size: Some(party),
                nights: None,
                customer: CustomerInput {
                    name: name.into(),
                    kana: kana.into(),
                    email: email.into(),
                    phone: phone.into(),
                    ..Default::default()
                },
                ..OrderRequest::default()
            };
            orders::create(app, &shop, &r, None).await?;
            made += 1;
        }
        made += goods::orders(app, m, &shop, &staff, people).await?;
        // The merchant works in 仮実同時モード now; its 与信モード orders were taken before.
        payments::in_card_mode(app, m, "card_capture").await?;
        // A used ticket and a transferred one.
        let sent = orders::list(
            app,
            &staff,
            kippu_store::orders::OrderFilter {
                status: Some(kippu_domain::web_ticket::Status::Sent),
                ..Default::default()
            },
            kippu_domain::paging::Paging::first(10),
        )
        .await?;
        if let Some(v) = sent.orders.first()
            && let Some(t) = v.tickets.first()
        {
            orders::change_usage(app, &staff, &t.ticket_number, true, None).await?;
        }
        if let Some(v) = sent.orders.get(1)
            && let Some(t) = v.tickets.first()
        {
            orders::transfer(
                app,
                &staff,
                &orders::Transfer {
                    ticket_number: &t.ticket_number,
                    to_name: "友人 太郎",
                    to_email: None,
                    order_token: None,
                },
            )
            .await?;
        }
    }
    Ok(made)
}
