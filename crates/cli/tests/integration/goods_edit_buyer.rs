//! What the buyer is told after 受注編集: a new コンビニ 受付番号 and 「ご注文内容変更のお知らせ」 for
//! a new total, and a receipt whose ポイント利用 makes the total add up.

use crate::goods_edit::{World, give_points, order, patch};
use crate::harness::unique_email;
use serde_json::json;

/// A コンビニ number is for one amount: an edit that changes the total gives the buyer a new
/// number, and the buyer is told the new amount and number by mail with the change.
#[tokio::test]
async fn a_konbini_buyer_is_told_the_new_amount_with_a_new_number() {
    let w = World::new(10).await;
    let email = unique_email("edit");
    let (n, placed) = order(&w.api, "konbini", &email).await;
    let first = placed["payment_instructions"]["number"].as_str().unwrap().to_string();
    let (s, e) = patch(&w.api, &n, json!({"shipping_fee": 800})).await;
    assert_eq!(s, 200, "{e}");
    let second = e["payment_instructions"]["number"].as_str().unwrap().to_string();
    assert_ne!(first, second, "a new number for the new amount");
    let total = e["total"].as_i64().unwrap();
    let mails: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT x.template_key, x.to_addr, x.body FROM outbox x JOIN orders o ON o.id = x.order_id \
         WHERE o.order_number = $1 AND x.template_key = 'goods_order_changed'",
    )
    .bind(&n)
    .fetch_all(&mut *w.t.conn().await)
    .await
    .unwrap();
    assert_eq!(mails.len(), 1, "one notice of the change");
    let (_, to, body) = &mails[0];
    assert_eq!(to, &email);
    assert!(body.contains(&kippu_domain::Yen(total).display_ja()), "the new amount: {body}");
    let digits: String = body.chars().filter(|c| c.is_ascii_digit() || *c == '\n').collect();
    assert!(digits.contains(&second) && !digits.contains(&first), "the new number only: {body}");

    // An address alone changes nothing the buyer pays: no notice.
    let (s, e) = patch(&w.api, &n, json!({"destinations": [{"phone": "090-0000-1111"}]})).await;
    assert!(s == 200 || s == 422, "{e}");
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox x JOIN orders o ON o.id = x.order_id \
         WHERE o.order_number = $1 AND x.template_key = 'goods_order_changed'",
    )
    .bind(&n)
    .fetch_one(&mut *w.t.conn().await)
    .await
    .unwrap();
    assert_eq!(count, 1);
}

/// The receipt of 受注詳細 and the buyer's own page say what the points took off: 商品合計 and
/// the fees less ポイント利用 is the 合計.
#[tokio::test]
async fn the_receipt_shows_the_points_used_so_the_total_adds_up() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    give_points(&w.t, &b, &n, 500).await;
    let (s, e) = patch(&w.api, &n, json!({"points_used": 300, "shipping_fee": 800})).await;
    assert_eq!(s, 200, "{e}");
    let page = b.get(&format!("/shipping/orders/{n}")).await;
    let yen = |id: &str| -> i64 {
        let t = page
            .text(&format!("[data-testid={id}]"))
            .unwrap_or_else(|| panic!("{id} on the page"));
        let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        let n: i64 = digits.parse().unwrap();
        if t.contains('-') { -n } else { n }
    };
    assert_eq!(yen("points-used"), -300);
    assert_eq!(yen("goods-total") + yen("shipping-fee") + yen("points-used"), yen("order-total"));
    assert_eq!(Some(yen("order-total")), e["total"].as_i64());
}
