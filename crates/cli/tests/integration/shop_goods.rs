//! Goods on the storefront: a cart of several goods, sent to the buyer, to others as gifts (each
//! destination with its own goods, date and time band) or collected at a store; addresses a
//! carrier can deliver to; a confirmation with unit prices, tax per rate, 送料, 代引手数料 and the
//! points to be earned, charged as confirmed; one order per confirmation; and the buyer's own
//! page following the parcel to its tracking link.

use crate::harness::{Browser, GoodsSettings, Page, TestApp, html, unique_email, wait_for_mail};
use serde_json::json;

const TOWEL: &str = "/shop/DEMO1/GOODS-TOWEL";
const TEA: &str = "/shop/DEMO1/GOODS-TEA";
const CART: &str = "/shop/DEMO1/cart";

/// DEMO1's shipping rule: 800 yen a parcel, free from 10,000 yen, 330 yen for cash on delivery,
/// 1 % points once shipped.
async fn shipping_rule(t: &TestApp) {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let settings = GoodsSettings {
        base_fee: "800",
        free_from: "10000",
        points_percent: "1",
        points_activation: "when_shipped",
    };
    assert_eq!(b.save_goods_settings(settings).await.status, 303);
}

/// Puts `quantity` of the product at `page` in the buyer's cart.
async fn add_to_cart(b: &Browser, page: &str, quantity: &str) {
    let added = b.submit(page, &format!("{page}/cart"), &[("quantity", quantity)]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.location.as_deref(), Some(CART));
}

/// The buyer, typed as people type: kana in hiragana, the phone in full width.
fn buyer<'a>(email: &'a str, pay: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "山田 花子"),
        ("kana", "やまだ はなこ"),
        ("email", email),
        ("phone", "０９０－１２３４－５６７８"),
        ("postal_code", "111-0032"),
        ("address", "東京都台東区浅草1-2-3"),
        ("payment_method", pay),
        ("card_token", "tok_visa"),
    ]
}

/// Two towels to the buyer in the morning, three bags of tea to grandmother in Sapporo as a
/// gift on her own name, kana, phone and address (only the house number typed: the postal
/// code fills the rest), on 2027-01-10 between 14 and 16.
fn two_destinations<'a>(email: &'a str, pay: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f = buyer(email, pay);
    f.extend([
        ("d0_to", "self"),
        ("d0_time_band", "morning"),
        ("d0_q_GOODS-TOWEL", "２"),
        ("d0_q_GOODS-TEA", "0"),
        ("d1_to", "gift"),
        ("d1_name", "北 ハナ"),
        ("d1_kana", "きた はな"),
        ("d1_phone", "011-222-3333"),
        ("d1_postal_code", "060-0001"),
        ("d1_address", "2-1"),
        ("d1_requested_date", "2027-01-10"),
        ("d1_time_band", "14-16"),
        ("d1_q_GOODS-TOWEL", ""),
        ("d1_q_GOODS-TEA", "3"),
    ]);
    f
}

/// A cart of towels and tea.
async fn towels_and_tea(b: &Browser) {
    add_to_cart(b, TOWEL, "2").await;
    add_to_cart(b, TEA, "3").await;
}

/// Goes to the confirmation; its page.
async fn confirm(b: &Browser, fields: &[(&str, &str)]) -> Page {
    let mut with_op = fields.to_vec();
    with_op.push(("op", "confirm"));
    b.submit(CART, CART, &with_op).await
}

/// Places the order from its confirmation screen (the form it carries); the buyer's page it
/// leads to.
async fn place(b: &Browser, confirm: &Page) -> String {
    let names = html::attrs(&confirm.body, "form[action$='/cart/order'] input[type=hidden]", "name");
    let values = html::attrs(&confirm.body, "form[action$='/cart/order'] input[type=hidden]", "value");
    let form: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
    let placed = b.post("/shop/DEMO1/cart/order", &form).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    placed.location.unwrap()
}

#[tokio::test]
async fn goods_are_on_the_storefront_with_the_goods_ways_to_pay() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let shop = b.get("/shop/DEMO1").await;
    assert!(shop.body.contains("オリジナルタオル"), "goods are sold on the storefront");
    let page = b.get(TOWEL).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("[data-testid=tax-rate]").as_deref(), Some("税率 10%"));
    add_to_cart(&b, TOWEL, "1").await;
    let cart = b.get(CART).await;
    let choices = html::attrs(&cart.body, "input[name=payment_method]", "value");
    assert_eq!(choices, ["card", "bank", "cod", "konbini", "store"]);
    let labels = html::texts(&cart.body, "ul.radio-list li");
    assert!(
        labels.iter().any(|l| l.contains("代金引換")) && labels.iter().any(|l| l.contains("店舗受取")),
        "{labels:?}"
    );
    assert!(
        !cart.body.contains("与信モード") && !cart.body.contains("仮実同時"),
        "the card mode is not the buyer's choice"
    );
}

#[tokio::test]
async fn a_cart_holds_several_goods_with_their_quantities_and_is_bounded() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    towels_and_tea(&b).await;
    add_to_cart(&b, TOWEL, "1").await;
    let cart = b.get(CART).await;
    assert_eq!(
        html::texts(&cart.body, "table.cart-lines td[data-label=商品]"),
        ["オリジナルタオル", "緑茶ティーバッグ"]
    );
    assert_eq!(
        html::texts(&cart.body, "table.cart-lines td[data-label=単価]"),
        ["1,650円", "864円"]
    );
    assert_eq!(html::texts(&cart.body, "table.cart-lines td[data-label=税率]"), ["10%", "8%"]);
    assert_eq!(
        cart.attr("input[name='d0_q_GOODS-TOWEL']", "value").as_deref(),
        Some("3"),
        "2 then 1 more"
    );
    assert_eq!(cart.attr("input[name='d0_q_GOODS-TEA']", "value").as_deref(), Some("3"));

    // 999 of a product at most, the cart unchanged when refused.
    let refused = b.submit(TOWEL, &format!("{TOWEL}/cart"), &[("quantity", "997")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text("[data-testid=err-quantity]").unwrap().contains("999"));
    let cart = b.get(CART).await;
    assert_eq!(cart.attr("input[name='d0_q_GOODS-TOWEL']", "value").as_deref(), Some("3"));

    // 削除 takes a product out.
    let removed = b.submit(CART, "/shop/DEMO1/cart/remove", &[("product", "GOODS-TOWEL")]).await;
    assert_eq!(removed.status, 303);
    let cart = b.get(CART).await;
    assert_eq!(
        html::texts(&cart.body, "table.cart-lines td[data-label=商品]"),
        ["緑茶ティーバッグ"]
    );

    // More destinations than a storefront order may have is refused whole.
    let mut many = buyer("x@example.jp", "card");
    let names: Vec<String> = (0..11).map(|i| format!("d{i}_to")).collect();
    many.extend(names.iter().map(|n| (n.as_str(), "self")));
    let page = confirm(&b, &many).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.text("[data-testid=form-error-general]").as_deref(),
        Some("お届け先は10件までです")
    );
}

#[tokio::test]
async fn a_cart_goes_to_two_destinations_one_a_gift_each_with_its_items_date_and_time() {
    let t = TestApp::spawn().await;
    shipping_rule(&t).await;
    let b = t.browser();
    towels_and_tea(&b).await;
    // 「お届け先を追加」 comes back with a second destination and everything typed kept.
    let mut adding = buyer("keep@example.jp", "card");
    adding.extend([("d0_to", "self"), ("d0_q_GOODS-TOWEL", "2"), ("op", "add_destination")]);
    let more = b.submit(CART, CART, &adding).await;
    assert_eq!(more.status, 200);
    assert!(more.attr("[data-testid=dest-1]", "data-testid").is_some(), "a second destination");
    assert_eq!(more.attr("input[name=email]", "value").as_deref(), Some("keep@example.jp"));
    assert_eq!(more.attr("input[name=d1_to][checked]", "value").as_deref(), Some("gift"));

    let email = unique_email("twodest");
    let page = confirm(&b, &two_destinations(&email, "cod")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Each destination with its own goods at their unit prices, date and time band.
    assert_eq!(html::texts(&page.body, "[data-testid=lines-1] td.c-name"), ["オリジナルタオル"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-1] td.c-unit"), ["1,650円"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-1] td.c-qty"), ["2"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-2] td.c-name"), ["緑茶ティーバッグ"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-2] td.c-unit"), ["864円"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-2] td.c-rate"), ["8%"]);
    assert_eq!(html::texts(&page.body, "[data-testid=lines-2] td.c-subtotal"), ["2,592円"]);
    assert!(page.text("[data-testid=confirm-wish-1]").unwrap().contains("午前中"));
    let wish = page.text("[data-testid=confirm-wish-2]").unwrap();
    assert!(wish.contains("2027/01/10") && wish.contains("14"), "{wish}");
    // The gift goes on the recipient's own name, kana (as katakana), phone and address.
    assert!(page.text("[data-testid=gift-2]").is_some() && page.text("[data-testid=gift-1]").is_none());
    assert_eq!(page.text("[data-testid=recipient-2]").as_deref(), Some("北 ハナ（キタ ハナ）"));
    assert_eq!(page.text("[data-testid=recipient-phone-2]").as_deref(), Some("011-222-3333"));
    assert_eq!(
        page.text("[data-testid=confirm-address-2]").as_deref(),
        Some("〒060-0001 北海道札幌市中央区北一条西2-1"),
        "the postal code filled what comes before the house number"
    );
    // Tax by rate, each destination's 送料, 代引手数料 and the points to be earned.
    assert_eq!(page.text("[data-testid=goods-total]").as_deref(), Some("5,892円"));
    assert_eq!(page.text("[data-testid=shipping-fee-1]").as_deref(), Some("800円"));
    assert_eq!(page.text("[data-testid=shipping-fee-2]").as_deref(), Some("800円"));
    assert_eq!(page.text("[data-testid=shipping-fee]").as_deref(), Some("1,600円"));
    assert_eq!(page.text("[data-testid=cod-fee]").as_deref(), Some("330円"));
    assert_eq!(page.text("[data-testid=amount]").as_deref(), Some("7,822円"));
    // 10 %: 3,300 goods + 1,600 shipping + 330 COD = 5,230, of which 475 tax; 8 %: 2,592, 192.
    assert_eq!(page.text("[data-testid=tax-10-amount]").as_deref(), Some("5,230円"));
    assert_eq!(page.text("[data-testid=tax-10-tax]").as_deref(), Some("475円"));
    assert_eq!(page.text("[data-testid=tax-8-amount]").as_deref(), Some("2,592円"));
    assert_eq!(page.text("[data-testid=tax-8-tax]").as_deref(), Some("192円"));
    assert_eq!(page.text("[data-testid=confirm-points]").as_deref(), Some("58"), "1 % of 5,892");
    // The buyer as the order stores them, not as typed.
    assert_eq!(page.text("[data-testid=buyer-kana]").as_deref(), Some("ヤマダ ハナコ"));
    assert_eq!(page.text("[data-testid=buyer-phone]").as_deref(), Some("090-1234-5678"));

    let mine = place(&b, &page).await;
    assert!(mine.starts_with("/my/orders/") && mine.ends_with("?placed=1"), "{mine}");
    let order = b.get(&mine).await;
    assert_eq!(
        order.text("[data-testid=amount]").as_deref(),
        Some("7,822円"),
        "the order charges what was confirmed"
    );
    let number = order.text("[data-testid=order-number]").unwrap();
    assert!(b.get(CART).await.text("[data-testid=cart-empty]").is_some(), "the cart is emptied");
    let thanks = wait_for_mail(&email, 0).await;
    assert!(
        thanks.body.contains(&number) && thanks.body.contains(&mine.replace("?placed=1", "")),
        "{}",
        thanks.body
    );

    // The order keeps each destination as confirmed.
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(s, 200, "{o}");
    let d = &o["destinations"];
    assert_eq!(d.as_array().unwrap().len(), 2, "{o}");
    assert_eq!(d[0]["name"], "山田 花子");
    assert_eq!(d[0]["time_band"], "morning");
    assert_eq!(d[1]["name"], "北 ハナ");
    assert_eq!(d[1]["kana"], "キタ ハナ");
    assert_eq!(d[1]["phone"], "011-222-3333");
    assert_eq!(d[1]["address"], "北海道札幌市中央区北一条西2-1");
    assert_eq!(d[1]["requested_date"], "2027-01-10");
    assert_eq!(d[1]["time_band"], "14-16");
}

#[tokio::test]
async fn a_pickup_shows_the_stores_name_address_and_hours() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    add_to_cart(&b, TOWEL, "1").await;
    let cart = b.get(CART).await;
    let stores = html::texts(&cart.body, "[data-testid=dest-0] .pickup-only li");
    assert!(
        stores
            .iter()
            .any(|s| s.contains("さくら劇場 別館") && s.contains("11:00〜18:00（火曜定休）")),
        "{stores:?}"
    );
    let email = unique_email("pickup");
    let mut f = buyer(&email, "store");
    f.extend([("d0_to", "pickup"), ("d0_store", "S002"), ("d0_q_GOODS-TOWEL", "1")]);
    let mut unknown = f.clone();
    unknown.retain(|(k, _)| *k != "d0_store");
    unknown.push(("d0_store", "NOPE"));
    let refused = confirm(&b, &unknown).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.text("[data-testid=err-d0_store]").as_deref(),
        Some("表示されている店舗から選んでください")
    );
    let page = confirm(&b, &f).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=store-name]").as_deref(), Some("さくら劇場 別館"));
    assert_eq!(page.text("[data-testid=store-address]").as_deref(), Some("東京都台東区浅草1-2-5"));
    assert_eq!(page.text("[data-testid=store-hours]").as_deref(), Some("11:00〜18:00（火曜定休）"));
    assert!(page.text("[data-testid=shipping-fee-1]").is_none(), "no shipping to a store");
    let mine = place(&b, &page).await;
    let order = b.get(&mine).await;
    assert_eq!(
        order
            .text("[data-testid=pickup-store]")
            .as_deref()
            .map(|s| s.contains("さくら劇場 別館")),
        Some(true)
    );
}

#[tokio::test]
async fn an_address_without_prefecture_or_house_number_is_refused_with_its_field_named() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    towels_and_tea(&b).await;
    let email = unique_email("addr");
    let mut f = two_destinations(&email, "card");
    // The buyer's own address without a house number; the gift's without a prefecture and
    // with a postal code the table does not know.
    for (k, v) in f.iter_mut() {
        match *k {
            "address" => *v = "東京都台東区浅草",
            "d1_postal_code" => *v = "000-0000",
            "d1_address" => *v = "中央区北1条西2-1",
            _ => {}
        }
    }
    let page = confirm(&b, &f).await;
    assert_eq!(page.status, 422, "{}", page.body);
    let own = page.text("[data-testid=err-address]").unwrap();
    assert!(own.contains("番地"), "the buyer's address, beside it");
    assert!(!own.contains("お届け先"), "and about the buyer, not 「お届け先1」: {own}");
    assert!(
        page.text("[data-testid=err-d1_address]")
            .unwrap()
            .starts_with("お届け先2: 住所に都道府県がありません")
    );
    assert_eq!(
        page.attr("input[name=d1_address]", "value").as_deref(),
        Some("中央区北1条西2-1"),
        "kept as typed"
    );
    assert!(page.text("[data-testid=err-name]").is_none());

    // The API names the same field of the same destination.
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "bank_store", "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email},
                   "destinations": [{"name": "北 ハナ", "postal_code": "060-0001", "address": "北海道札幌市中央区北一条西", "phone": "011-222-3333",
                                     "lines": [{"product_code": "GOODS-TEA"}]}]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["field"], "destinations[0].address", "{e}");
}

#[tokio::test]
async fn pressing_place_twice_makes_one_order() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    towels_and_tea(&b).await;
    let page = confirm(&b, &two_destinations(&unique_email("twice"), "card")).await;
    let first = place(&b, &page).await;
    let second = place(&b, &page).await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn a_bad_goods_form_names_every_field_and_cod_is_refused_for_a_pickup() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    add_to_cart(&b, TOWEL, "1").await;
    let mut fields = buyer("not-an-email", "cod");
    fields.retain(|(k, _)| *k != "kana");
    fields.extend([("kana", ""), ("d0_to", "pickup"), ("d0_q_GOODS-TOWEL", "1")]);
    let page = confirm(&b, &fields).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.text("[data-testid=err-payment_method]").as_deref(),
        Some("店舗受取では代金引換を選べません")
    );
    assert!(page.text("[data-testid=err-email]").is_some(), "{}", page.body);
    assert!(page.text("[data-testid=err-kana]").is_some(), "{}", page.body);
    assert_eq!(
        page.attr("input[name=name]", "value").as_deref(),
        Some("山田 花子"),
        "the input is kept"
    );

    let email = unique_email("store");
    let mut store_to_door = buyer(&email, "store");
    store_to_door.extend([("d0_to", "self"), ("d0_q_GOODS-TOWEL", "1")]);
    let refused = confirm(&b, &store_to_door).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.text("[data-testid=err-payment_method]").as_deref(),
        Some("店頭払いは店舗受取のときに選べます")
    );
}

#[tokio::test]
async fn the_buyers_page_follows_the_parcel_to_its_tracking_link() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    add_to_cart(&b, TOWEL, "2").await;
    let email = unique_email("track");
    let mut f = buyer(&email, "card");
    f.extend([("d0_to", "self"), ("d0_q_GOODS-TOWEL", "2")]);
    let mine = place(&b, &confirm(&b, &f).await).await;
    let page = b.get(&mine).await;
    assert_eq!(page.text("[data-testid=shipping]").as_deref(), Some("未発送"));
    let number = page.text("[data-testid=order-number]").unwrap();

    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, _) = api
        .put(
            &format!("/api/v1/orders/{number}/destinations/1"),
            json!({"tracking_number": "123456789013", "carrier": "yamato"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, o) = api.post(&format!("/api/v1/orders/{number}/ship"), json!({"destination": 1})).await;
    assert_eq!(s, 200, "{o}");
    let page = b.get(&mine).await;
    assert_eq!(page.text("[data-testid=shipping]").as_deref(), Some("発送済み"));
    assert!(page.text("[data-testid=tracking]").unwrap().contains("ヤマト運輸 123456789013"));
    let links = html::attrs(&page.body, "[data-testid=tracking] a", "href");
    assert_eq!(links, ["https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=123456789013"]);
    assert_eq!(b.get("/my/orders/not-a-real-token-at-all").await.status, 404);
}

#[tokio::test]
async fn a_retried_api_goods_order_with_the_same_key_answers_with_the_first_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let body = json!({"product_code": "GOODS-TOWEL", "payment_method": "bank_store",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("idem"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}});
    let (s1, first) = api.post_with_key("/api/v1/orders", "goods-retry-1", body.clone()).await;
    let (s2, again) = api.post_with_key("/api/v1/orders", "goods-retry-1", body.clone()).await;
    assert_eq!((s1, s2), (201, 200), "{first} {again}");
    assert_eq!(first["order_number"], again["order_number"]);
    let mut other = body;
    other["quantity"] = json!(2);
    let (s3, reused) = api.post_with_key("/api/v1/orders", "goods-retry-1", other).await;
    assert_eq!(s3, 422, "{reused}");
    assert_eq!(reused["error"]["code"], "idempotency_key_reused", "{reused}");
}
