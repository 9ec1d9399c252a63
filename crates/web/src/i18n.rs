//! UI labels, Japanese first, English by the toggle. Japanese labels are the spec's exactly.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

/// The translator templates call as `t.s("key")`.
#[derive(Debug, Clone, Copy)]
pub struct T {
    pub lang: Lang,
}

impl T {
    pub fn s(&self, key: &str) -> &'static str {
        match LABELS.iter().find(|(k, _, _)| *k == key) {
            Some((_, ja, en)) => match self.lang {
                Lang::Ja => ja,
                Lang::En => en,
            },
            None => {
                tracing::error!(key, "missing UI label");
                "?"
            }
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

pub const LABELS: &[(&str, &str, &str)] = &[
    ("app.name", "kippu", "kippu"),
    ("app.tagline", "加盟店バックオフィス", "Merchant back office"),
    ("lang.switch", "English", "日本語"),
    ("nav.menu", "メニュー", "Menu"),
    ("nav.orders", "ウェブチケット受注管理", "Web-ticket orders"),
    ("nav.reservations", "予約・引き換え", "Reservations & redemption"),
    ("nav.shipping", "出荷", "Shipping"),
    ("nav.proxy", "代理注文管理", "Proxy orders"),
    ("nav.vouchers", "電子チケット利用実績", "E-ticket usage"),
    ("nav.settlements", "精算管理", "Settlements"),
    ("nav.settings", "設定", "Settings"),
    ("nav.merchants", "加盟店管理", "Merchants"),
    ("nav.deposits", "入金確認", "Deposit confirmation"),
    ("nav.cancel_requests", "キャンセル申請", "Cancel requests"),
    ("account.password_change", "パスワード変更", "Change password"),
    ("account.logout", "ログアウト", "Log out"),
    ("login.title", "ログイン", "Log in"),
    ("login.login_id", "ログインID", "Login ID"),
    ("login.password", "パスワード", "Password"),
    ("login.submit", "ログイン", "Log in"),
    ("login.forgot", "パスワードをお忘れの方", "Forgot your password?"),
    (
        "login.bad",
        "ログインIDまたはパスワードが正しくありません。",
        "The login ID or password is wrong.",
    ),
    (
        "login.locked",
        "ログインに続けて失敗したため、ロックされています。{m}分後にもう一度お試しください。",
        "Locked after repeated failed logins. Try again in {m} minutes.",
    ),
    (
        "login.rule",
        "5回続けて失敗すると15分間ログインできなくなります。",
        "After 5 failed attempts, login is locked for 15 minutes.",
    ),
    ("pw.title", "パスワード変更", "Change password"),
    (
        "pw.forced",
        "初期パスワードのままです。続けるには新しいパスワードを設定してください。",
        "You are using an initial password. Set a new password to continue.",
    ),
    ("pw.current", "現在のパスワード", "Current password"),
    ("pw.new", "新しいパスワード", "New password"),
    ("pw.confirm", "新しいパスワード（確認）", "New password (again)"),
    (
        "pw.rule",
        "8文字以上で、数字・英大文字・英小文字をそれぞれ含めてください。",
        "At least 8 characters, including a digit, an upper-case and a lower-case letter.",
    ),
    ("pw.submit", "変更する", "Change"),
    ("pw.done", "パスワードを変更しました。", "Your password has been changed."),
    (
        "pw.weak",
        "パスワードの条件を満たしていません：",
        "The password does not meet the rule:",
    ),
    ("reset.title", "パスワード再設定", "Reset password"),
    (
        "reset.intro",
        "ログインIDを入力してください。登録されたメールアドレスに再設定用のURL（1時間有効）をお送りします。",
        "Enter your login ID. We will email a reset link, valid for one hour, to the address on file.",
    ),
    ("reset.submit", "再設定メールを送る", "Send reset email"),
    (
        "reset.sent",
        "ご登録のメールアドレスがある場合、再設定用のURLをお送りしました。メールをご確認ください。",
        "If the account has an email address, a reset link has been sent. Please check your email.",
    ),
    ("reset.set", "新しいパスワードを設定", "Set a new password"),
    (
        "reset.expired",
        "このURLは有効期限が切れているか、すでに使用されています。もう一度お手続きください。",
        "This link has expired or was already used. Please request a new one.",
    ),
    (
        "reset.done",
        "パスワードを再設定しました。新しいパスワードでログインしてください。",
        "Your password has been reset. Log in with the new password.",
    ),
    ("reset.back", "ログイン画面へ", "Back to login"),
    ("home.title", "ホーム", "Home"),
    ("home.welcome", "ようこそ", "Welcome"),
    ("common.coming", "この画面で提供する機能", "What this page will offer"),
    ("common.coming_note", "この機能は現在準備中です。", "This area is being built."),
    ("common.save", "保存する", "Save"),
    ("common.back", "戻る", "Back"),
    ("common.edit", "編集", "Edit"),
    ("common.detail", "閲覧", "View"),
    ("common.none", "データがありません。", "Nothing here yet."),
    ("common.saved", "保存しました。", "Saved."),
    ("common.page", "ページ", "Page"),
    ("common.prev", "前へ", "Previous"),
    ("common.next", "次へ", "Next"),
    ("common.count", "件", "items"),
    ("error.title", "エラー", "Error"),
    ("error.not_found", "ページが見つかりません。", "Page not found."),
    (
        "error.forbidden",
        "この操作を行う権限がありません。",
        "You are not allowed to do this.",
    ),
    (
        "error.csrf",
        "フォームの有効期限が切れたか、不正な送信です。画面を再読み込みしてもう一度お試しください。",
        "The form expired or was tampered with. Reload the page and try again.",
    ),
    ("error.too_large", "送信されたデータが大きすぎます。", "The request is too large."),
    (
        "error.internal",
        "システムエラーが発生しました。時間をおいてもう一度お試しください。",
        "Something went wrong on our side. Please try again later.",
    ),
    ("error.invalid", "入力内容を確認してください", "Please check your input"),
    (
        "area.orders",
        "受注一覧（決済種別ごとのステータス、暗証番号、使用状況）、検索・クリア、一括処理（入金済みにする・実決済・ウェブチケ送信・使用済み・未使用に戻す）、CSV出力（CP932/UTF-8）、明細PDF、購入者とのメッセージ。",
        "Order list with per-payment-method status, PIN and ticket usage; search and clear; bulk actions (mark paid, capture, send, used, back to unused); CSV export (CP932/UTF-8); PDF statements; buyer messages.",
    ),
    (
        "area.reservations",
        "日付・時間枠ごとの在庫、販売チャネルの掲載停止・再開、QRコードまたは6桁の電子チケットIDによる引き換え、ノーショー、キャンセルポリシー。",
        "Stock per date and time slot, channel listings stopped/resumed, redemption by QR code or 6-digit e-ticket ID, no-shows, cancellation policies.",
    ),
    (
        "area.shipping",
        "お届け先ごとの出荷ステータス、送り状番号の登録とCSV取込（ヤマトB2・e飛伝・ゆうパックプリントR）、発送済み・入金済み・処理済みの一括処理、ポイント有効化。",
        "Shipping status per destination, tracking numbers one by one or from carrier CSV files (Yamato B2, e-Hiden, Yu-Pack Print R), bulk shipped/paid/processed, point activation.",
    ),
    (
        "area.proxy",
        "受付（顧客検索・新規登録）、注文入力、登録済みカード、定期マスタ、受注情報、対応履歴、自由メモ、リジェクト注文情報。",
        "Reception (customer search and registration), order entry, stored cards, subscription masters, orders, interaction history, free notes, rejected orders.",
    ),
    (
        "area.vouchers",
        "利用実績（本日分が既定、最大3か月）、月別・日別利用実績、取消（24時間以内）、店舗一覧、データ出力。",
        "Payment records (today by default, up to 3 months), monthly and daily totals, cancellation within 24 hours, store list, data export.",
    ),
    (
        "area.settlements",
        "精算サイクル、支払一覧（期間・支払予定日・金額）、販売チャネル別の明細（画面・CSV・PDF）。",
        "Settlement cycle, payout list (period, scheduled date, amount), statements per channel (screen, CSV, PDF).",
    ),
    (
        "area.deposits",
        "事務局口座への銀行振込の入金確認（個別・一括）と銀行明細CSVの照合。",
        "Confirmation of bank transfers to the platform account, one by one or in bulk, and bank-statement CSV matching.",
    ),
    (
        "area.cancel_requests",
        "カード決済後のキャンセル申請の処理（返金）と申請手数料の精算への計上。",
        "Completing card cancel requests with a refund, and charging the request fee in settlements.",
    ),
    ("orders.title", "ウェブチケット受注管理", "Web-ticket orders"),
    ("orders.search", "検索", "Search"),
    ("orders.clear", "クリア", "Clear"),
    ("orders.csv", "CSV出力", "Export CSV"),
    ("orders.csv_encoding", "文字コード", "Encoding"),
    ("orders.number", "受注番号", "Order number"),
    ("orders.ordered_at", "ご注文日時", "Ordered at"),
    ("orders.from", "注文日（から）", "Ordered from"),
    ("orders.to", "注文日（まで）", "Ordered to"),
    ("orders.orderer", "注文者名(注文者カナ)", "Orderer (furigana)"),
    ("orders.name", "注文者名・カナ", "Orderer name or furigana"),
    ("orders.email", "メールアドレス", "Email"),
    ("orders.phone", "電話番号", "Phone"),
    ("orders.amount", "受注金額(販促費) 決済種別", "Amount (promotion cost), payment"),
    ("orders.payment_method", "決済種別", "Payment method"),
    ("orders.status", "ステータス", "Status"),
    ("orders.usage", "使用状況", "Usage"),
    ("orders.ticket_type", "ウェブチケットタイプ", "Ticket type"),
    ("orders.order_type", "注文種別", "Order type"),
    ("orders.product", "商品コード", "Product code"),
    ("orders.holder", "使用者名", "Holder"),
    ("orders.ticket", "ウェブチケ番号(チケット価格)", "Ticket number (price)"),
    (
        "orders.holder_product",
        "使用者名・商品名(JAN/商品コード)",
        "Holder, product (JAN/code)",
    ),
    ("orders.cancel", "受注キャンセル", "Cancel order"),
    ("orders.any", "すべて", "All"),
    ("orders.view", "閲覧", "View"),
    ("orders.statement", "明細", "Statement"),
    ("orders.messages", "メッセージ", "Messages"),
    ("orders.execute", "実行", "Run"),
    ("orders.cancel_request", "キャンセル申請", "Cancel request"),
    ("orders.use", "使用済みにする", "Mark used"),
    ("orders.unuse", "未使用に戻す", "Back to unused"),
    ("orders.select_page", "このページをすべて選択", "Select this page"),
    ("orders.bulk_orders", "選択した受注を", "Selected orders:"),
    ("orders.bulk_tickets", "選択したチケットを", "Selected tickets:"),
    ("orders.bulk_mark_paid", "入金済みにする", "Mark paid"),
    ("orders.bulk_capture", "実決済", "Capture"),
    ("orders.bulk_send", "ウェブチケ送信", "Send tickets"),
    ("orders.bulk_use", "使用済み", "Used"),
    ("orders.bulk_unuse", "未使用に戻す", "Back to unused"),
    ("orders.total", "件", "orders"),
    ("orders.detail", "受注詳細", "Order detail"),
    ("orders.history", "ステータス履歴", "Status history"),
    ("orders.tickets", "ウェブチケット", "Web tickets"),
    ("orders.customer", "注文者", "Orderer"),
    ("orders.auth_left", "与信期限まで", "Authorization expires in"),
    ("orders.auth_days", "日", "days"),
    ("orders.auth_expired", "与信期限切れ", "Authorization expired"),
    ("orders.send_no_time", "送信処理", "Sent (no email)"),
    (
        "orders.back",
        "中断してウェブチケット受注管理に戻る",
        "Stop and go back to the order list",
    ),
    ("orders.confirm_title", "受注ステータスの個別変更", "Change the order status"),
    ("orders.result", "処理結果", "Result"),
    ("orders.ok", "OK", "OK"),
    ("orders.ng", "NG", "NG"),
    ("orders.reason", "理由", "Reason"),
    ("orders.done", "件を処理しました。", "rows processed."),
    ("orders.approve", "承認", "I approve"),
    (
        "orders.fee_note",
        "キャンセル手数料として、1件につき200円+税を頂戴いたします。",
        "A cancel request costs the merchant 200 yen + tax.",
    ),
    ("orders.transfer", "譲渡", "Transfer"),
    ("orders.new_holder", "譲渡先の氏名", "New holder's name"),
    ("products.title", "商品", "Products"),
    ("stock.title", "在庫カレンダー", "Stock calendar"),
    ("stock.import", "在庫CSVの取込", "Availability import"),
    ("bookings.title", "予約一覧", "Reservations"),
    ("bookings.today", "本日の予約", "Today"),
    ("bookings.tomorrow", "明日の予約", "Tomorrow"),
    ("bookings.week", "今後7日間", "Next 7 days"),
    ("bookings.visit_from", "来店日（から）", "Visit date from"),
    ("bookings.visit_to", "来店日（まで）", "Visit date to"),
    ("bookings.state", "来店状況", "At the door"),
    ("bookings.name", "予約者名・カナ", "Name or kana"),
    ("bookings.eticket", "eチケットID", "E-ticket ID"),
    ("bookings.payment", "決済状況", "Payment"),
    ("bookings.door", "来店", "Visit"),
    ("bookings.people_booked", "予約人数", "people booked"),
    ("bookings.people_came", "来店人数", "people came"),
    (
        "bookings.more",
        "その他の条件（チャネル・プラン・予約者・番号）",
        "More (channel, plan, customer, numbers)",
    ),
    ("channels.title", "販売チャネル", "Sales channels"),
    (
        "channels.help",
        "自社サイトとOTA。商品ごとの掲載停止・再開は商品一覧で行います。OTAはチャネルに紐づいたAPIトークンで POST /api/v1/orders に注文を送ります。",
        "Your own site and the OTAs. Listings are stopped and resumed per product in the product list. An OTA sends its orders to POST /api/v1/orders with an API token bound to its channel.",
    ),
    ("channels.code", "チャネルコード", "Channel code"),
    ("channels.name", "チャネル名", "Channel name"),
    ("channels.kind", "種類", "Kind"),
    ("channels.listed", "掲載中の商品", "Products listed"),
    ("channels.tokens", "APIトークン", "API tokens"),
    ("channels.created", "発行", "issued"),
    ("channels.last_used", "最終利用", "last used"),
    ("channels.revoke", "無効にする", "Revoke"),
    (
        "channels.revoke_confirm",
        "このトークンを無効にします。このトークンを使う連携は注文できなくなります。よろしいですか？",
        "Revoke this token? The connection using it can no longer send orders.",
    ),
    (
        "channels.token_name",
        "トークンの名前（連携先など）",
        "Token name (e.g. the connection)",
    ),
    ("channels.issue", "APIトークンを発行", "Issue an API token"),
    (
        "channels.issued",
        "APIトークンを発行しました。この画面でしか表示されません。連携先に安全な方法で渡してください。",
        "API token issued. It is shown only here, once: hand it to the connection securely.",
    ),
    ("channels.add", "OTAを追加", "Add an OTA"),
    (
        "channels.add_note",
        "追加したチャネルでは、すべての商品が掲載停止の状態で始まります。商品一覧で販売する商品の掲載を再開してください。",
        "A new channel starts with every product stopped: resume the products to sell there in the product list.",
    ),
    ("channels.add_submit", "追加する", "Add"),
    ("products.listings", "販売チャネル（掲載）", "Channels (listing)"),
    ("products.archived", "アーカイブ済み", "Archived"),
    ("products.price", "価格（税込）", "Price (tax incl.)"),
    ("products.new", "新しい商品", "New product"),
    ("products.code", "商品コード", "Product code"),
    ("products.unarchive", "販売を再開", "Sell again"),
    ("products.archive", "アーカイブ", "Archive"),
    ("products.stop", "掲載停止", "Stopped"),
    ("products.stop_listing", "掲載停止", "Stop listing"),
    ("products.name", "商品名", "Product name"),
    ("products.listed", "掲載中", "Listed"),
    ("products.kind", "種類", "Kind"),
    ("products.stock", "在庫", "Stock"),
    ("products.resume", "再開", "Resume"),
    (
        "products.policy",
        "キャンセルポリシー（1行に「来店日の何日前から:取消料%」、例 0:100 と 3:50）",
        "Cancellation policy (one tier per line, \"days before the visit:fee %\", e.g. 0:100 and 3:50)",
    ),
    (
        "products.ticket_type",
        "ウェブチケットタイプ（ウェブチケットのみ）",
        "Web-ticket type (web tickets only)",
    ),
    (
        "products.calendar_link",
        "日付・時間枠ごとの在庫（在庫カレンダー）",
        "Stock per date and time slot (stock calendar)",
    ),
    (
        "products.party_max",
        "最大人数（予約のみ・0は指定なし）",
        "Largest party (reservations only; 0 = no limit)",
    ),
    ("products.undated_stock", "在庫（日付のない商品）", "Stock (undated products)"),
    ("products.jan", "JANコード（任意）", "JAN code (optional)"),
    ("products.price_yen", "価格（税込・円）", "Price (yen, tax incl.)"),
    ("products.reduced_rate", "8%（軽減税率）", "8% (reduced rate)"),
    ("products.set_stock", "在庫を設定する", "Set stock"),
    ("products.current_stock", "現在の在庫:", "Current stock:"),
    ("products.kind_of", "商品の種類", "Kind of product"),
    ("stock.count", "在庫数", "Stock"),
    ("products.tax_rate", "税率", "Tax rate"),
    ("products.description", "説明", "Description"),
    (
        "stock.import_help",
        "外部の座席・在庫システムからの取込。列: 商品コード, 日付（YYYY-MM-DD）, 時間枠（HH:MM、空欄は終日）, 在庫数。UTF-8 / Shift_JIS（CP932）。1行でも誤りがあれば何も反映しません。",
        "From an external seat or stock system. Columns: product code, date (YYYY-MM-DD), time slot (HH:MM, empty for all day), stock. UTF-8 or Shift_JIS (CP932). If any line is wrong, nothing is applied.",
    ),
    (
        "stock.import_failed",
        "取り込めませんでした。何も反映していません。",
        "Not imported. Nothing was applied.",
    ),
    ("stock.imported", "行の在庫を反映しました。", " lines of stock applied."),
    ("stock.import_submit", "取り込む", "Import"),
    ("stock.weekdays", "日,月,火,水,木,金,土", "Sun,Mon,Tue,Wed,Thu,Fri,Sat"),
    (
        "stock.legend",
        "残り/在庫。販売: キャンセルを除く予約の人数（チケット数）、件数、金額。",
        "Left/stock. Sold: people (tickets), orders and yen of the bookings not cancelled.",
    ),
    (
        "stock.slots",
        "時間枠（カンマ区切り、例 10:00,13:00。空欄は終日）",
        "Time slots (comma-separated, e.g. 10:00,13:00; empty for all day)",
    ),
    ("stock.special_count", "特定日（在庫数を指定）", "Special day (set the stock)"),
    (
        "stock.day_settings",
        "休日設定・特定日設定",
        "休日設定・特定日設定 (closed / special days)",
    ),
    ("stock.range", "期間でまとめて設定", "Set a date range"),
    ("stock.special_capacity", "在庫数（特定日）", "Stock (special day)"),
    ("stock.holiday_zero", "休日（在庫0）", "Closed day (stock 0)"),
    ("stock.set", "設定する", "Set"),
    ("stock.special", "特定日", "Special"),
    ("stock.from", "開始日", "From"),
    ("stock.to", "終了日", "To"),
    ("stock.holiday", "休日", "Closed"),
    ("stock.date", "日付", "Date"),
    (
        "payouts.help",
        "前月1ヶ月間に利用された予約（ノーショーを含む）とキャンセル料から手数料を差し引き、当月末までにお支払いします。明細はチャネル（OTA・自社サイト）別です。",
        "Last month's used bookings (no-shows included) and cancellation fees, less the fees, are paid by the end of this month. Statements are itemized per channel (OTA, own site).",
    ),
    (
        "payouts.fee_note",
        "変更後に作成される入金から適用されます。",
        "Applies to payouts made after the change.",
    ),
    ("payouts.fee_rates", "プラットフォーム手数料率", "Platform fee rates"),
    ("payouts.fee_rate_of", " の手数料率（%）", " fee rate (%)"),
    ("payouts.date", "お支払い予定日", "Payment date"),
    ("payouts.period", "対象期間", "Period"),
    ("payouts.fee_rate", "手数料率", "Fee rate"),
    ("payouts.merchant", "加盟店", "Merchant"),
    ("payouts.net", "入金額", "Payout"),
    ("payouts.status", "状況", "Status"),
    ("payouts.lines", "明細", "Statement"),
    ("payouts.change", "変更", "Change"),
    (
        "payouts.paid_confirm",
        "この入金を「お支払い済み」にします。元に戻せません。よろしいですか？",
        "Mark this payout as paid? This cannot be undone.",
    ),
    ("payouts.csv_cp932", "CSV（Excel用 Shift_JIS）", "CSV (Shift_JIS for Excel)"),
    ("payouts.mark_paid", "お支払い済みにする", "Mark as paid"),
    ("payouts.channel", "チャネル", "Channel"),
    ("payouts.total", "合計", "Total"),
    ("payouts.line_kind", "種別", "Kind"),
    ("payouts.amount", "金額", "Amount"),
    ("door.title", "eチケットを引き換える", "Redeem e-tickets"),
    ("door.done", "引き換えました", "Redeemed"),
    ("door.plan", "プラン", "Plan"),
    ("door.visit", "来店日", "Visit date"),
    ("door.party", "人数", "Party"),
    ("door.holder", "予約者", "Booked by"),
    ("door.order", "受注番号", "Order number"),
    ("door.redeemed_at", "引き換え日時", "Redeemed at"),
    (
        "door.party_actual",
        "来店人数（予約と違う場合は変更）",
        "People who came (change if different)",
    ),
    ("door.redeem", "引き換える", "Redeem"),
    ("door.scan", "QRコードを読み取る", "Scan the QR code"),
    ("door.camera", "カメラで読み取る", "Scan with the camera"),
    ("door.type", "eチケットIDを入力", "Type the e-ticket ID"),
    ("door.id", "6桁のeチケットID", "6-digit e-ticket ID"),
    ("door.lookup", "確認する", "Look up"),
    ("door.next", "次のお客様", "Next guest"),
    ("door.people", "名", " people"),
    ("door.booked", "予約", "booked"),
    ("door.honorific", " 様", ""),
    ("door.day_left", "当日の残り在庫", "Seats left that day"),
    (
        "door.party_hint",
        "予約より多い場合は当日の在庫の範囲でお受けください（追加分は現地でお会計）。少ない場合も入金は予約人数分です。",
        "More people than booked: accept them within the day's stock (the extra people pay on site). Fewer: the payout is still for the booked party.",
    ),
    (
        "door.extra_pay",
        "追加人数分は現地でお会計してください",
        "Collect payment on site for the extra people",
    ),
    (
        "door.fewer_refund",
        "入金は予約人数分です。来店されなかった人数分は現地で現金にて返金いただけます。",
        "The payout is for the booked party; you may refund the absent people in cash on site.",
    ),
    (
        "door.unknown_hint",
        "予約が見つからないお客様の場合は、事務局へご連絡ください（予約を確認いたします）。",
        "No booking found for this guest: contact the platform support, who will check the booking.",
    ),
    ("payouts.title", "入金", "Payouts"),
    ("payouts.statement", "入金明細", "Payout statement"),
    ("shop.title", "オンラインショップ", "Online shop"),
    ("shop.confirm", "ご注文内容の確認", "Confirm your order"),
    ("my.title", "マイウェブチケット", "My web tickets"),
    ("slip.title", "オンライン伝票", "Online slip"),
    ("customers.title", "顧客一覧", "Customers"),
    ("customers.name", "氏名", "Name"),
    ("customers.kana", "フリガナ", "Furigana"),
    ("customers.email", "メールアドレス", "Email"),
    ("customers.phone", "電話番号", "Phone"),
    ("customers.postal_code", "郵便番号", "Postal code"),
    ("customers.address", "住所", "Address"),
    ("customers.edit", "顧客情報の編集", "Edit customer"),
    ("settings.templates", "メールテンプレート", "Email templates"),
    (
        "settings.templates_intro",
        "{{ 置換文字 }} の形で差し込み項目を使えます。保存時に見本の値で確認し、誤りがあれば保存しません。",
        "Use placeholders as {{ name }}. Templates are checked with sample values when saved and refused if they contain an error.",
    ),
    ("settings.template_subject", "件名", "Subject"),
    ("settings.template_body", "本文", "Body"),
    ("settings.template_placeholders", "置換文字", "Placeholders"),
    ("settings.template_default", "標準", "Default"),
    ("settings.template_custom", "編集済み", "Customized"),
    ("settings.template_reset", "標準に戻す", "Restore default"),
    ("settings.template_preview", "見本", "Preview"),
    ("settings.outbox", "メール送信状況", "Email outbox"),
    (
        "settings.outbox_intro",
        "送信待ち・送信済み・再送待ち・失敗のメール。失敗したメールは再送できます。",
        "Queued, sent, retrying and failed emails. Failed ones can be retried.",
    ),
    ("settings.audit", "操作履歴", "Audit log"),
    ("settings.users", "アカウント", "Accounts"),
    ("settings.stores", "店舗・端末", "Stores & terminals"),
    ("outbox.to", "宛先", "To"),
    ("outbox.subject", "件名", "Subject"),
    ("outbox.status", "状態", "Status"),
    ("outbox.attempts", "試行", "Attempts"),
    ("outbox.created", "登録日時", "Queued at"),
    ("outbox.sent", "送信日時", "Sent at"),
    ("outbox.error", "エラー", "Error"),
    ("outbox.retry", "再送する", "Retry"),
    ("outbox.queued", "送信待ち", "Queued"),
    ("outbox.sending", "送信中", "Sending"),
    ("outbox.retrying", "再送待ち", "Retrying"),
    ("outbox.failed", "失敗", "Failed"),
    ("outbox.status_sent", "送信済み", "Sent"),
    ("audit.at", "日時", "When"),
    ("audit.who", "操作者", "Who"),
    ("audit.action", "操作", "Action"),
    ("audit.what", "対象", "What"),
    ("audit.change", "変更内容", "Change"),
    ("users.login_id", "ログインID", "Login ID"),
    ("users.role", "権限", "Role"),
    ("users.email", "メールアドレス", "Email"),
    ("users.must_change", "初期パスワード", "Initial password"),
    ("role.platform_operator", "事務局", "Platform operator"),
    ("role.merchant_admin", "加盟店管理者", "Merchant admin"),
    ("role.merchant_staff", "加盟店スタッフ", "Merchant staff"),
    ("role.call_centre", "オペレーター", "Call-centre operator"),
    ("role.customer", "顧客", "Customer"),
    ("merchants.code", "加盟店コード", "Merchant code"),
    ("merchants.name", "加盟店名", "Merchant name"),
    ("merchants.fee", "手数料率", "Fee rate"),
    ("stores.code", "店舗コード", "Store code"),
    ("stores.name", "店舗名", "Store name"),
    ("stores.terminals", "端末（6桁パスコード）", "Terminals (6-digit passcode)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.s("…")` in a template must have a label, or the page would show "?".
    #[test]
    fn every_label_used_in_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("t.s(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if !LABELS.iter().any(|(k, _, _)| *k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = LABELS.iter().map(|(k, _, _)| *k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    #[test]
    fn spec_labels_are_exact() {
        let t = T { lang: Lang::Ja };
        for (k, v) in [
            ("nav.orders", "ウェブチケット受注管理"),
            ("nav.reservations", "予約・引き換え"),
            ("nav.shipping", "出荷"),
            ("nav.proxy", "代理注文管理"),
            ("nav.vouchers", "電子チケット利用実績"),
            ("nav.settlements", "精算管理"),
            ("nav.settings", "設定"),
        ] {
            assert_eq!(t.s(k), v);
        }
    }
}
