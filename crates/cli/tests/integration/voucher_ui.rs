//! The voucher screens as people use them: the holder's phone pays by passcode and gets a
//! receipt; the merchant's 利用実績 shows it, 【取消】 asks first and takes a memo, and the daily
//! and monthly totals leave cancelled payments out.

use crate::harness::{Browser, Page, TestApp};
use crate::voucher_world::VoucherWorld;

/// The holder types `passcode` on 支払う: the confirmation page with the store to check.
async fn confirm_store(phone: &Browser, token: &str, passcode: &str) -> Page {
    phone
        .submit(
            &format!("/v/{token}/pay"),
            &format!("/v/{token}/pay/confirm"),
            &[("passcode", passcode)],
        )
        .await
}

/// The holder pays `amount` by passcode on the phone's pages; the receipt page's path.
async fn pay_by_passcode(phone: &Browser, token: &str, passcode: &str, amount: &str) -> Page {
    let confirm = confirm_store(phone, token, passcode).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let key = confirm.attr("input[name=key]", "value").unwrap();
    let csrf = confirm.csrf();
    phone
        .post(
            &format!("/v/{token}/pay"),
            &[
                ("_csrf", &csrf),
                ("passcode", passcode),
                ("terminal", ""),
                ("key", &key),
                ("amount", amount),
            ],
        )
        .await
}

#[tokio::test]
async fn the_phone_shows_the_store_to_check_then_a_receipt_for_the_clerk() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let token = w.holder.token.clone().unwrap();
    let phone = t.browser();
    let home = phone.get(&format!("/v/{token}")).await;
    assert_eq!(home.text("[data-testid=voucher-balance]").as_deref(), Some("10,000円"));
    let confirm = confirm_store(&phone, &token, &w.terminal.passcode).await;
    assert_eq!(confirm.text("[data-testid=voucher-store]").as_deref(), Some("あおば書店 駅前店"));
    let paid = pay_by_passcode(&phone, &token, &w.terminal.passcode, "1,200").await;
    assert_eq!(paid.status, 303);
    let receipt = phone.get(paid.location.as_deref().unwrap()).await;
    assert_eq!(receipt.text("[data-testid=receipt-amount]").as_deref(), Some("1,200円"));
    assert_eq!(receipt.text("[data-testid=receipt-number]").unwrap().len(), 16);
    let home = phone.get(&format!("/v/{token}")).await;
    assert_eq!(home.text("[data-testid=voucher-balance]").as_deref(), Some("8,800円"));
}

#[tokio::test]
async fn pressing_confirm_twice_pays_once() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let token = w.holder.token.clone().unwrap();
    let phone = t.browser();
    let confirm = confirm_store(&phone, &token, &w.terminal.passcode).await;
    let key = confirm.attr("input[name=key]", "value").unwrap();
    let csrf = confirm.csrf();
    let form = [
        ("_csrf", csrf.as_str()),
        ("passcode", w.terminal.passcode.as_str()),
        ("key", &key),
        ("amount", "500"),
    ];
    let first = phone.post(&format!("/v/{token}/pay"), &form).await;
    let second = phone.post(&format!("/v/{token}/pay"), &form).await;
    assert_eq!(first.location, second.location, "the same receipt");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_payments").await, 1);
}

#[tokio::test]
async fn too_much_is_refused_on_the_confirmation_with_the_balance() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let token = w.holder.token.clone().unwrap();
    let refused = pay_by_passcode(&t.browser(), &token, &w.terminal.passcode, "20000").await;
    assert_eq!(refused.status, 409);
    assert!(refused.text("[data-testid=voucher-error]").unwrap().contains("10,000円"));
}

#[tokio::test]
async fn the_merchant_sees_the_payment_cancels_it_with_a_memo_and_the_totals_leave_it_out() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let token = w.holder.token.clone().unwrap();
    let phone = t.browser();
    pay_by_passcode(&phone, &token, &w.terminal.passcode, "1200").await;
    pay_by_passcode(&phone, &token, &w.terminal.passcode, "300").await;

    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let list = shop.get("/vouchers/payments").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(
        list.text("[data-testid=hits]").as_deref(),
        Some("該当件数2件のうち2件を表示しています。")
    );
    let numbers = crate::harness::html::attrs(&list.body, "tr[data-payment]", "data-payment");
    let first = numbers.last().unwrap().clone();
    let confirm = shop.get(&format!("/vouchers/payments/{first}/cancel")).await;
    assert!(confirm.text("[data-testid=cancel-confirm]").unwrap().contains("1,200円"));
    let done = shop
        .submit(
            &format!("/vouchers/payments/{first}/cancel"),
            &format!("/vouchers/payments/{first}/cancel"),
            &[("memo", "金額誤り"), ("back", "/vouchers/payments")],
        )
        .await;
    assert_eq!(done.status, 303);
    let list = shop.get("/vouchers/payments").await;
    let cell = list.text(&format!("[data-testid=cancel-{first}]")).unwrap();
    assert!(cell.starts_with("取消済 2026/11/24"), "{cell}");
    let home = phone.get(&format!("/v/{token}")).await;
    assert_eq!(
        home.text("[data-testid=voucher-balance]").as_deref(),
        Some("9,700円"),
        "the 1,200円 came back"
    );

    let daily = shop.get("/vouchers/daily?from=2026-11-24&to=2026-11-24").await;
    assert_eq!(daily.text("[data-testid=total-amount]").as_deref(), Some("300円"));
    assert_eq!(daily.text("[data-testid=total-count]").as_deref(), Some("1件"));
    let monthly = shop.get("/vouchers/monthly").await;
    assert_eq!(monthly.text("[data-testid=total-amount]").as_deref(), Some("300円"));

    t.clock.advance(time::Duration::hours(25));
    let later = shop.get("/vouchers/payments?from=2026-11-24&to=2026-11-25").await;
    let other = numbers.first().unwrap();
    assert_eq!(
        later.text(&format!("[data-testid=cancel-{other}] a")),
        None,
        "after 24 hours the button is gone"
    );
}

#[tokio::test]
async fn a_range_over_the_limits_is_refused_with_the_reason() {
    let t = TestApp::spawn().await;
    let _w = VoucherWorld::new(&t).await;
    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let records = shop.get("/vouchers/payments?from=2026-08-24T00:00&to=2026-11-24T23:59").await;
    assert_eq!(records.status, 422);
    assert_eq!(
        records.text("[data-testid=records-error]").as_deref(),
        Some("期間は最大3ヶ月までです")
    );
    let daily = shop.get("/vouchers/daily?from=2026-10-01&to=2026-11-01").await;
    assert_eq!(daily.text("[data-testid=totals-error]").as_deref(), Some("期間は最大31日までです"));
    let monthly = shop.get("/vouchers/monthly?from=2026-08&to=2026-11").await;
    assert_eq!(
        monthly.text("[data-testid=totals-error]").as_deref(),
        Some("期間は最大3ヶ月までです")
    );
}

#[tokio::test]
async fn the_pager_and_the_cancel_return_keep_the_search() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let token = w.holder.token.clone().unwrap();
    let phone = t.browser();
    for _ in 0..26 {
        pay_by_passcode(&phone, &token, &w.terminal.passcode, "10").await;
    }
    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let first = shop.get("/vouchers/payments?store_code=AKT10001").await;
    assert_eq!(
        first.text("[data-testid=hits]").as_deref(),
        Some("該当件数26件のうち25件を表示しています。")
    );
    let next = first.attr("nav.pager a", "href").unwrap();
    let second = shop.get(&format!("/vouchers/payments{next}")).await;
    assert_eq!(second.status, 200, "{next}");
    assert_eq!(
        second.text("[data-testid=hits]").as_deref(),
        Some("該当件数26件のうち1件を表示しています。")
    );
    let cancel = second.attr("[data-testid^=cancel-] a", "href").unwrap();
    let screen = shop.get(&cancel).await;
    let back = screen.attr("form[action$=\"/cancel\"] input[name=back]", "value").unwrap();
    let again = shop.get(&back).await;
    assert_eq!(again.status, 200, "{back}");
    assert_eq!(
        again.text("[data-testid=hits]").as_deref(),
        Some("該当件数26件のうち1件を表示しています。"),
        "back on page 2 of the same search"
    );
}
