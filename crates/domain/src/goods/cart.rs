//! The storefront's cart: goods (by product code) with the quantity the buyer put in, kept in a
//! cookie on the buyer's browser. Nothing in it is trusted: every product, price and stock is
//! read again when the order is priced. It is bounded — [`MAX_LINES`] goods, [`MAX_QUANTITY`]
//! of each — and a checkout sends the goods to at most [`MAX_DESTINATIONS`] places.

/// Goods in one cart.
pub const MAX_LINES: usize = 10;
/// Of one product (the order's own limit per line).
pub const MAX_QUANTITY: i64 = 999;
/// Destinations of one storefront order.
pub const MAX_DESTINATIONS: usize = 10;
/// Longest product code a cart keeps (the catalogue's codes are shorter).
const MAX_CODE: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cart {
    lines: Vec<(String, i64)>,
}

/// Why an addition is refused, in the buyer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartError {
    Full,
    Quantity,
}

impl CartError {
    pub fn message(self) -> String {
        match self {
            CartError::Full => format!("カートに入る商品は{MAX_LINES}種類までです。ほかの商品を削除してから追加してください"),
            CartError::Quantity => format!("数量は1〜{MAX_QUANTITY}で入力してください（カートにある数量との合計も{MAX_QUANTITY}まで）"),
        }
    }
}

fn code_ok(code: &str) -> bool {
    !code.is_empty() && code.len() <= MAX_CODE && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Cart {
    /// The cart a cookie holds (`CODE:2|CODE:3`); a value this code did not write holds an
    /// empty cart (an old or edited cookie is not an error the buyer can act on).
    pub fn decode(cookie: &str) -> Cart {
        let mut cart = Cart::default();
        for part in cookie.split('|').filter(|p| !p.is_empty()) {
            let Some((code, q)) = part.split_once(':') else {
                return Cart::default();
            };
            match q.parse::<i64>() {
                Ok(q) if code_ok(code) && (1..=MAX_QUANTITY).contains(&q) && cart.lines.len() < MAX_LINES && cart.quantity(code) == 0 => {
                    cart.lines.push((code.to_string(), q))
                }
                _ => return Cart::default(),
            }
        }
        cart
    }

    /// What the cookie holds.
    pub fn encode(&self) -> String {
        self.lines.iter().map(|(c, q)| format!("{c}:{q}")).collect::<Vec<_>>().join("|")
    }

    /// Puts `quantity` more of `code` in; the cart is unchanged when refused.
    pub fn add(&mut self, code: &str, quantity: i64) -> Result<(), CartError> {
        if !code_ok(code) || !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(CartError::Quantity);
        }
        if let Some(line) = self.lines.iter_mut().find(|(c, _)| c == code) {
            if line.1 + quantity > MAX_QUANTITY {
                return Err(CartError::Quantity);
            }
            line.1 += quantity;
            return Ok(());
        }
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::Full);
        }
        self.lines.push((code.to_string(), quantity));
        Ok(())
    }

    pub fn remove(&mut self, code: &str) {
        self.lines.retain(|(c, _)| c != code);
    }

    /// How many of `code` the cart holds (0 when none).
    pub fn quantity(&self, code: &str) -> i64 {
        self.lines.iter().find(|(c, _)| c == code).map_or(0, |(_, q)| *q)
    }

    /// The goods in the order they were put in.
    pub fn lines(&self) -> &[(String, i64)] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn goods_go_in_and_add_up() {
        let mut c = Cart::default();
        c.add("GOODS-TOWEL", 2).unwrap();
        c.add("GOODS-TEA", 3).unwrap();
        c.add("GOODS-TOWEL", 1).unwrap();
        assert_eq!(c.encode(), "GOODS-TOWEL:3|GOODS-TEA:3");
        c.remove("GOODS-TOWEL");
        assert_eq!(c.lines(), [("GOODS-TEA".to_string(), 3)]);
    }

    #[test]
    fn the_cart_is_bounded() {
        let mut c = Cart::default();
        for i in 0..MAX_LINES {
            c.add(&format!("G{i}"), 1).unwrap();
        }
        assert_eq!(c.add("ONE-MORE", 1), Err(CartError::Full));
        assert_eq!(c.add("G0", MAX_QUANTITY), Err(CartError::Quantity), "999 in all at most");
        assert_eq!(c.add("G0", 0), Err(CartError::Quantity));
        assert_eq!(c.lines().len(), MAX_LINES, "a refusal changes nothing");
        assert_eq!(c.quantity("G0"), 1);
    }

    #[test]
    fn a_cookie_it_did_not_write_is_an_empty_cart() {
        for bad in ["GOODS:0", "GOODS:1000", "GOODS", "a b:1", "G:1|G:2", "G:x", &"G:1|".repeat(11)] {
            assert!(Cart::decode(bad).is_empty(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(adds in proptest::collection::vec(("[A-Z0-9_-]{1,12}", 1i64..=999), 0..15)) {
            let mut c = Cart::default();
            for (code, q) in &adds {
                let _ = c.add(code, *q);
            }
            prop_assert!(c.lines().len() <= MAX_LINES);
            prop_assert_eq!(Cart::decode(&c.encode()), c);
        }
    }
}
