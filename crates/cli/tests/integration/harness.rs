//! Test harness: a fresh database per test, the app on a random port, a manual clock, HTTP
//! clients with cookie jars, and the mailbox of the test SMTP server.

use kippu_app::{App, AppConfig, demo};
use kippu_domain::clock::ManualClock;
use kippu_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use time::macros::datetime;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub base: String,
    _dir: tempfile::TempDir,
}

/// A database of its own for one test: a temporary SQLite file, or a new PostgreSQL database
/// created next to the one the test script made for this run.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("KIPPU_TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let (prefix, db) = base.rsplit_once('/').expect("database URL has a database name");
            let name = format!("{db}_t{}_{n}", std::process::id());
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&base)
                .await
                .expect("connect to the test run's PostgreSQL database");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("create per-test database");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("kippu.db").display()),
    }
}

pub fn smtp_url() -> Option<String> {
    std::env::var("KIPPU_TEST_SMTP_URL").ok().filter(|s| !s.is_empty())
}

impl TestApp {
    /// The app with demo data, started at 2026-11-24 10:00 JST.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut AppConfig)) -> TestApp {
        Self::start(adjust, true).await
    }

    /// A fresh install without demo data: an empty database, as a new platform finds it.
    pub async fn spawn_bare() -> TestApp {
        Self::start(|_| {}, false).await
    }

    async fn start(adjust: impl FnOnce(&mut AppConfig), with_demo: bool) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(dir.path()).await;
        let store = Store::open(&url).await.expect("open test database");
        let clock = Arc::new(ManualClock::new(datetime!(2026-11-24 01:00 UTC)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = AppConfig {
            public_url: base.clone(),
            smtp_url: smtp_url(),
            outbox_dir: dir.path().join("outbox"),
            mail_from: "kippu test <no-reply@kippu.test>".into(),
            mail_poll: Duration::from_millis(200),
            ..AppConfig::default()
        };
        adjust(&mut config);
        let app = App::new(store, clock.clone(), config);
        if with_demo {
            demo::load(&app).await.expect("demo data");
        }
        let transport = kippu_app::notify::mailer::Transport::from_config(&app).unwrap();
        tokio::spawn(kippu_app::notify::mailer::run(app.clone(), transport));
        let served = app.clone();
        tokio::spawn(async move {
            kippu_web::serve(listener, served, std::future::pending()).await.unwrap();
        });
        TestApp {
            app,
            clock,
            base,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests check them).
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    pub async fn token(&self, merchant: Option<&str>) -> String {
        kippu_app::accounts::create_token(&self.app, &kippu_app::Actor::system(), merchant, None, "test")
            .await
            .unwrap()
    }

    /// A token bound to one sales channel (an OTA's connection).
    pub async fn channel_token(&self, merchant: &str, channel: &str) -> String {
        kippu_app::accounts::create_token(&self.app, &kippu_app::Actor::system(), Some(merchant), Some(channel), "ota")
            .await
            .unwrap()
    }

    pub fn api(&self, token: &str) -> Api {
        Api {
            client: reqwest::Client::new(),
            base: self.base.clone(),
            token: token.to_string(),
        }
    }

    pub async fn conn(&self) -> sqlx::pool::PoolConnection<sqlx::Any> {
        self.app.store.conn().await.unwrap()
    }

    /// The id of the first customer (by furigana) of a merchant.
    pub async fn first_customer(&self, merchant_code: &str) -> i64 {
        let mut c = self.conn().await;
        let m = kippu_store::merchants::find_by_code(&mut c, merchant_code).await.unwrap().unwrap();
        kippu_store::people::list_customers(&mut c, m.id, 1, 0).await.unwrap()[0].id
    }

    /// Gives a merchant a contact address of its own, so parallel tests never share a mailbox.
    pub async fn unique_merchant_email(&self, code: &str) -> String {
        let email = unique_email(&code.to_lowercase());
        let mut c = self.conn().await;
        sqlx::query("UPDATE merchants SET email = $1 WHERE code = $2")
            .bind(&email)
            .bind(code)
            .execute(&mut *c)
            .await
            .unwrap();
        email
    }

    /// Sets a merchant's card mode (`card_auth` 与信モード or `card_capture` 仮実同時モード): every
    /// channel's card orders must be in it.
    pub async fn card_mode(&self, merchant: &str, mode: &str) {
        let mut c = self.conn().await;
        sqlx::query("UPDATE merchants SET card_mode = $1 WHERE code = $2")
            .bind(mode)
            .bind(merchant)
            .execute(&mut *c)
            .await
            .unwrap();
    }

    /// Sets the remaining stock of an undated product.
    pub async fn set_stock(&self, merchant: &str, product: &str, remaining: i64) {
        let mut c = self.conn().await;
        sqlx::query(
            "UPDATE stock SET remaining = $1, capacity = $1 WHERE product_id = (SELECT p.id FROM products p JOIN merchants m ON m.id = p.merchant_id WHERE m.code = $2 AND p.code = $3) AND stock_date = ''",
        )
        .bind(remaining)
        .bind(merchant)
        .bind(product)
        .execute(&mut *c)
        .await
        .unwrap();
    }

    pub async fn scalar(&self, sql: &'static str) -> i64 {
        let mut c = self.conn().await;
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await.unwrap()
    }

    /// Creates an account with an initial password via the use case `kippu user create` calls.
    pub async fn create_user(&self, role: kippu_domain::account::Role, merchant: Option<&str>, login: &str, email: &str) -> String {
        let (_, pw) = kippu_app::accounts::create_user(
            &self.app,
            &kippu_app::Actor::system(),
            &kippu_app::accounts::NewAccount {
                role,
                merchant_code: merchant,
                login_id: login,
                display_name: "",
                email,
                admin_settings: false,
            },
        )
        .await
        .unwrap();
        pw
    }
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    pub fn csrf(&self) -> String {
        self.attr("meta[name=csrf-token]", "content").expect("page has a csrf meta tag")
    }

    /// The attribute of the first element matching a CSS selector.
    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        html::attrs(&self.body, selector, attr).into_iter().next()
    }

    /// The text of the first element matching a CSS selector.
    pub fn text(&self, selector: &str) -> Option<String> {
        html::texts(&self.body, selector).into_iter().next()
    }
}

/// Reading pages with an HTML parser (never by byte offsets).
pub mod html {
    use scraper::{Html, Selector};

    fn select(body: &str, selector: &str) -> (Html, Selector) {
        (Html::parse_document(body), Selector::parse(selector).expect("a valid CSS selector"))
    }

    /// The attribute of every element matching `selector`, in document order.
    pub fn attrs(body: &str, selector: &str, attr: &str) -> Vec<String> {
        let (doc, sel) = select(body, selector);
        doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
    }

    /// The text of every element matching `selector`, whitespace collapsed.
    pub fn texts(body: &str, selector: &str) -> Vec<String> {
        let (doc, sel) = select(body, selector);
        doc.select(&sel)
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Page {
        let r = self.client.get(format!("{}{}", self.base, path)).send().await.unwrap();
        Self::page(r).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self.client.post(format!("{}{}", self.base, path)).form(form).send().await.unwrap();
        Self::page(r).await
    }

    /// Posts a form with the CSRF token of the page at `from`.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }

    async fn page(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        Page {
            status,
            location,
            body: r.text().await.unwrap(),
        }
    }

    /// Uploads `bytes` as the multipart field `file` to `action`, with the CSRF token of the
    /// page at `from` in the query string (how the import forms send it).
    pub async fn upload(&self, from: &str, action: &str, bytes: Vec<u8>) -> Page {
        self.upload_with(from, action, &[], bytes).await
    }

    /// A download's status and bytes (CSV in CP932, PDF).
    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let r = self.client.get(format!("{}{}", self.base, path)).send().await.unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }

    /// A multipart form as a page sends it: text fields and the `file`.
    pub async fn upload_with(&self, from: &str, action: &str, fields: &[(&str, &str)], bytes: Vec<u8>) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("upload.csv"));
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let r = self
            .client
            .post(format!("{}{action}?_csrf={csrf}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        Self::page(r).await
    }

    /// Saves 設定 → 物販の設定 from the settings page: the fee rule and the points policy, each
    /// field as typed (`points_activation`: `by_admin`, `when_shipped`, `when_processed`).
    pub async fn save_goods_settings(&self, s: GoodsSettings<'_>) -> Page {
        let fields = [
            ("base_fee", s.base_fee),
            ("free_from", s.free_from),
            ("cod_fee", "330"),
            ("prefecture_fees", ""),
            ("points_percent", s.points_percent),
            ("points_activation", s.points_activation),
        ];
        self.submit("/settings/goods", "/settings/goods", &fields).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Page {
        self.submit("/login", "/login", &[("login_id", login), ("password", password)])
            .await
    }
}

/// 物販の設定 as a test saves it (COD fee 330 yen, no per-prefecture rows).
pub struct GoodsSettings<'a> {
    pub base_fee: &'a str,
    pub free_from: &'a str,
    pub points_percent: &'a str,
    pub points_activation: &'a str,
}

impl GoodsSettings<'static> {
    /// Free shipping, 10 % points that wait for an admin to activate them.
    pub const POINTS_BY_ADMIN: GoodsSettings<'static> = GoodsSettings {
        base_fee: "0",
        free_from: "",
        points_percent: "10",
        points_activation: "by_admin",
    };
}

pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Api {
    /// A request with the bearer token, answered as (status, JSON body or null).
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// POST with an `Idempotency-Key` header.
    pub async fn post_with_key(&self, path: &str, key: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let r = self
            .client
            .post(format!("{}{}", self.base, path))
            .bearer_auth(&self.token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// POST with no body (actions that take no options).
    pub async fn post_empty(&self, path: &str) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::POST, path, None).await
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// A multipart POST: text fields and one `file`.
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Vec<u8>) -> (u16, serde_json::Value) {
        let mut form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(file).file_name("data.csv"));
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let r = self
            .client
            .post(format!("{}{}", self.base, path))
            .bearer_auth(&self.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// A GET whose body is not JSON (CSV, PDF).
    pub async fn get_raw(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }
}

/// A message that arrived at the test SMTP server.
#[derive(Debug, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

fn sink_dir() -> PathBuf {
    PathBuf::from(
        std::env::var("KIPPU_TEST_SMTP_SINK")
            .expect("KIPPU_TEST_SMTP_SINK is not set: email tests need the test SMTP server; run them through ./scripts/test"),
    )
}

/// Waits (up to 15 s) for the `nth` (0-based) message to `to` at the test SMTP server.
pub async fn wait_for_mail(to: &str, nth: usize) -> Mail {
    let dir = sink_dir();
    for _ in 0..150 {
        let mut mails: Vec<(String, Mail)> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.ok()?.path();
                if p.extension()? != "json" {
                    return None;
                }
                let m: Mail = serde_json::from_str(&std::fs::read_to_string(&p).ok()?).ok()?;
                (m.to == to).then(|| (p.file_name().unwrap().to_string_lossy().to_string(), m))
            })
            .collect();
        mails.sort_by(|a, b| a.0.cmp(&b.0));
        if mails.len() > nth {
            return mails.swap_remove(nth).1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no message #{nth} to {to} arrived at the test SMTP server within 15 s");
}

/// A unique address per test, so parallel tests never read each other's mail.
pub fn unique_email(tag: &str) -> String {
    format!("{tag}-{}-{}@kippu.test", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}
