//! The storefront in the buyer's words: what a product is, never the back office's kinds.

use crate::harness::TestApp;

/// The storefront names what a product is in the buyer's words, never the back office's kinds
/// and ticket types (「基本タイプ」, 「物販」).
#[tokio::test]
async fn the_storefront_names_products_in_the_buyers_words() {
    let t = TestApp::spawn().await;
    let page = t.browser().get("/shop/DEMO1").await;
    assert_eq!(page.status, 200);
    let cards = crate::harness::html::texts(&page.body, "a[data-testid^=product-] small");
    assert!(!cards.is_empty(), "{}", page.body);
    for kind in cards {
        assert!(
            ["チケット", "ご予約", "商品（配送・店舗受取）"].contains(&kind.as_str()),
            "「{kind}」 is not a buyer's word"
        );
    }
}
