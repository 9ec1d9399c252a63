//! The demo merchants as data: their stores and customers (each customer with a deliverable
//! address).

pub(super) struct DemoMerchant {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) stores: [(&'static str, &'static str, &'static str, &'static str); 2],
    /// (name, kana, email, phone, postal code, address): an address with its prefecture and house
    /// number, so 注文入力's 「顧客情報からコピー」 delivers to it.
    pub(super) customers: &'static [Person],
}

/// A demo customer: name, kana, email, phone, postal code, address.
pub(super) type Person = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

pub(super) const MERCHANTS: &[DemoMerchant] = &[
    DemoMerchant {
        code: "DEMO1",
        name: "さくら劇場",
        stores: [
            ("S001", "さくら劇場 本館", "東京都台東区浅草1-2-3", "10:00〜19:00（月曜定休）"),
            ("S002", "さくら劇場 別館", "東京都台東区浅草1-2-5", "11:00〜18:00（火曜定休）"),
        ],
        customers: &[
            (
                "山田 花子",
                "ヤマダ ハナコ",
                "hanako.yamada@example.jp",
                "090-1111-2222",
                "111-0032",
                "東京都台東区浅草2-3-1",
            ),
            (
                "佐藤 健一",
                "サトウ ケンイチ",
                "kenichi.sato@example.jp",
                "080-3333-4444",
                "150-0001",
                "東京都渋谷区神宮前4-1-7",
            ),
            (
                "髙橋 美咲",
                "タカハシ ミサキ",
                "misaki.takahashi@example.jp",
                "070-5555-6666",
                "231-0023",
                "神奈川県横浜市中区山下町10-5",
            ),
            (
                "渡邉 翔太",
                "ワタナベ ショウタ",
                "shota.watanabe@example.jp",
                "03-1234-5678",
                "111-0032",
                "東京都台東区浅草1-2-3",
            ),
            (
                "伊藤 さくら",
                "イトウ サクラ",
                "sakura.ito@example.jp",
                "090-7777-8888",
                "530-0001",
                "大阪府大阪市北区梅田3-1-1",
            ),
        ],
    },
    DemoMerchant {
        code: "DEMO2",
        name: "みなと食堂",
        stores: [
            ("S001", "みなと食堂 港町店", "神奈川県横浜市中区港町2-4-6", "11:00〜21:00"),
            ("S002", "みなと食堂 駅前店", "神奈川県横浜市西区高島2-1-1", "7:00〜22:00"),
        ],
        customers: &[
            (
                "鈴木 一郎",
                "スズキ イチロウ",
                "ichiro.suzuki@example.jp",
                "090-2222-3333",
                "231-0023",
                "神奈川県横浜市中区山下町8-2",
            ),
            (
                "田中 陽子",
                "タナカ ヨウコ",
                "yoko.tanaka@example.jp",
                "080-4444-5555",
                "220-0012",
                "神奈川県横浜市西区みなとみらい2-2-1",
            ),
            (
                "中村 大輔",
                "ナカムラ ダイスケ",
                "daisuke.nakamura@example.jp",
                "045-123-4567",
                "231-0062",
                "神奈川県横浜市中区桜木町1-1",
            ),
            (
                "小林 結衣",
                "コバヤシ ユイ",
                "yui.kobayashi@example.jp",
                "070-6666-7777",
                "460-0008",
                "愛知県名古屋市中区栄3-5-1",
            ),
            (
                "吉田 﨑人",
                "ヨシダ サキト",
                "sakito.yoshida@example.jp",
                "090-8888-9999",
                "060-0001",
                "北海道札幌市中央区北一条西2-1",
            ),
        ],
    },
];
