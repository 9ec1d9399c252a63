-- kippu foundation schema: every entity the spec names, so later features add columns and
-- behaviour, not a new foundation.
-- Conventions (identical on SQLite and PostgreSQL, see docs/architecture.md):
--   * ids are 64-bit integers; every merchant-owned row carries merchant_id;
--   * instants are BIGINT milliseconds since the Unix epoch (*_at); business dates are TEXT
--     'YYYY-MM-DD' in Japan time; money is BIGINT yen; flags are BIGINT 0/1;
--   * the only textual difference between the two files is the primary-key clause.

CREATE TABLE platform (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    default_fee_bp BIGINT NOT NULL DEFAULT 500,
    cancel_request_fee BIGINT NOT NULL DEFAULT 200,
    created_at BIGINT NOT NULL
);

CREATE TABLE merchants (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    platform_fee_bp BIGINT NOT NULL DEFAULT 500,
    settlement_cycle TEXT NOT NULL DEFAULT 'monthly',
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL
);

CREATE TABLE stores (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE terminals (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    qr_token TEXT NOT NULL UNIQUE,
    passcode TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    kana TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customers_merchant_kana ON customers (merchant_id, kana);
CREATE INDEX customers_merchant_email ON customers (merchant_id, email);

CREATE TABLE customer_addresses (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT REFERENCES merchants(id),
    role TEXT NOT NULL,
    login_id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 1,
    admin_settings BIGINT NOT NULL DEFAULT 0,
    customer_id BIGINT REFERENCES customers(id),
    lang TEXT NOT NULL DEFAULT 'ja',
    disabled BIGINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_merchant ON users (merchant_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Keyed by the login ID as typed, whether or not such an account exists: a lock must not
-- reveal which IDs are real.
CREATE TABLE login_throttle (
    login_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT REFERENCES merchants(id),
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE channels (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    api_token_id BIGINT REFERENCES api_tokens(id),
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE products (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    jan TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    ticket_type TEXT,
    price BIGINT NOT NULL,
    tax_rate BIGINT NOT NULL DEFAULT 10,
    description TEXT NOT NULL DEFAULT '',
    nights_max BIGINT NOT NULL DEFAULT 0,
    party_size_max BIGINT NOT NULL DEFAULT 0,
    uses_per_ticket BIGINT NOT NULL DEFAULT 1,
    cancellation_policy TEXT NOT NULL DEFAULT '[]',
    archived BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE product_listings (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    channel_id BIGINT NOT NULL REFERENCES channels(id),
    listed BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, channel_id)
);

-- One row per product, date and slot. Undated products use stock_date '' and slots '' so the
-- unique key works without NULLs. remaining never goes below zero (the CHECK is the last guard;
-- the conditional UPDATE in the order use case is the first).
CREATE TABLE stock (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    stock_date TEXT NOT NULL DEFAULT '',
    time_slot TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    remaining BIGINT NOT NULL CHECK (remaining >= 0),
    day_kind TEXT NOT NULL DEFAULT 'normal',
    updated_at BIGINT NOT NULL,
    UNIQUE (product_id, stock_date, time_slot)
);

CREATE TABLE coupons (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    discount_yen BIGINT NOT NULL DEFAULT 0,
    discount_percent BIGINT NOT NULL DEFAULT 0,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE stored_cards (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    gateway_token TEXT NOT NULL,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month BIGINT NOT NULL,
    exp_year BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);

CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    cycle_days BIGINT NOT NULL,
    next_date TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    stored_card_id BIGINT REFERENCES stored_cards(id),
    coupon_id BIGINT REFERENCES coupons(id),
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE subscription_items (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL,
    is_main BIGINT NOT NULL DEFAULT 0
);

-- The platform-wide order-number sequence (T + 14 digits); a row per named sequence keeps the
-- same SQL on both databases.
CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_number TEXT NOT NULL UNIQUE,
    channel_id BIGINT REFERENCES channels(id),
    customer_id BIGINT REFERENCES customers(id),
    customer_name TEXT NOT NULL,
    customer_kana TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    customer_phone TEXT NOT NULL DEFAULT '',
    ordered_at BIGINT NOT NULL,
    order_type TEXT NOT NULL DEFAULT 'normal',
    kind TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    status TEXT NOT NULL,
    amount BIGINT NOT NULL,
    promotion_cost BIGINT NOT NULL DEFAULT 0,
    shipping_fee BIGINT NOT NULL DEFAULT 0,
    handling_fee BIGINT NOT NULL DEFAULT 0,
    discount BIGINT NOT NULL DEFAULT 0,
    pin TEXT,
    pin_failures BIGINT NOT NULL DEFAULT 0,
    pin_locked_until BIGINT,
    paid_at BIGINT,
    sent_at BIGINT,
    send_mode TEXT,
    cancelled_at BIGINT,
    cancel_reason TEXT,
    cancel_fee BIGINT NOT NULL DEFAULT 0,
    refunded_amount BIGINT NOT NULL DEFAULT 0,
    visit_date TEXT,
    time_slot TEXT,
    party_size BIGINT,
    processing_status TEXT,
    payment_status TEXT,
    points BIGINT NOT NULL DEFAULT 0,
    subscription_id BIGINT REFERENCES subscriptions(id),
    coupon_id BIGINT REFERENCES coupons(id),
    media_code TEXT NOT NULL DEFAULT '',
    memo_inquiry TEXT NOT NULL DEFAULT '',
    memo_shop TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_merchant_ordered ON orders (merchant_id, ordered_at);
CREATE INDEX orders_merchant_status ON orders (merchant_id, status, ordered_at);
CREATE INDEX orders_merchant_kana ON orders (merchant_id, customer_kana);
CREATE INDEX orders_merchant_visit ON orders (merchant_id, visit_date);

CREATE TABLE idempotency_keys (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT NOT NULL,
    response_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, idem_key)
);

CREATE TABLE order_lines (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    product_name TEXT NOT NULL,
    product_code TEXT NOT NULL,
    jan TEXT NOT NULL DEFAULT '',
    unit_price BIGINT NOT NULL,
    tax_rate BIGINT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    amount BIGINT NOT NULL,
    stock_id BIGINT REFERENCES stock(id),
    visit_date TEXT,
    time_slot TEXT,
    nights BIGINT
);
CREATE INDEX order_lines_order ON order_lines (order_id);

CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
    ticket_number TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL UNIQUE,
    eticket_id TEXT,
    price BIGINT NOT NULL,
    holder_customer_id BIGINT REFERENCES customers(id),
    holder_name TEXT NOT NULL,
    usage TEXT NOT NULL DEFAULT 'unused',
    used_at BIGINT,
    used_by BIGINT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'active',
    redeemed_at BIGINT,
    redeemed_by BIGINT REFERENCES users(id),
    party_size_actual BIGINT,
    redemption_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX tickets_order ON tickets (order_id);
CREATE INDEX tickets_merchant_holder ON tickets (merchant_id, holder_name);
CREATE INDEX tickets_merchant_eticket ON tickets (merchant_id, eticket_id);

CREATE TABLE ticket_transfers (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    from_name TEXT NOT NULL,
    to_customer_id BIGINT REFERENCES customers(id),
    to_name TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    method TEXT NOT NULL,
    gateway TEXT NOT NULL DEFAULT '',
    gateway_ref TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    amount BIGINT NOT NULL,
    captured_amount BIGINT NOT NULL DEFAULT 0,
    refunded_amount BIGINT NOT NULL DEFAULT 0,
    authorized_at BIGINT,
    expires_at BIGINT,
    captured_at BIGINT,
    failure_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE bank_statement_imports (
    id BIGSERIAL PRIMARY KEY,
    file_name TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    line_count BIGINT NOT NULL,
    matched_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE bank_statement_lines (
    id BIGSERIAL PRIMARY KEY,
    import_id BIGINT NOT NULL REFERENCES bank_statement_imports(id),
    line_no BIGINT NOT NULL,
    raw TEXT NOT NULL,
    amount BIGINT,
    order_id BIGINT REFERENCES orders(id),
    outcome TEXT NOT NULL
);

CREATE TABLE shipments (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    method TEXT NOT NULL DEFAULT 'delivery',
    recipient_name TEXT NOT NULL,
    postal_code TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    delivery_date TEXT,
    carrier TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'unshipped',
    shipped_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE points (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT REFERENCES customers(id),
    order_id BIGINT REFERENCES orders(id),
    points BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    activated_at BIGINT,
    created_at BIGINT NOT NULL
);

-- Every step of every flow, who did it and when. The order page's status history is a view of it.
CREATE TABLE status_history (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    ticket_id BIGINT REFERENCES tickets(id),
    flow TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users(id),
    actor_label TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX status_history_order ON status_history (order_id, at);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT REFERENCES merchants(id),
    actor_user_id BIGINT REFERENCES users(id),
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX audit_log_merchant_at ON audit_log (merchant_id, at);

-- Merchant overrides of the built-in templates; merchant_id NULL is a platform-wide override.
CREATE TABLE email_templates (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT REFERENCES merchants(id),
    template_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX email_templates_key ON email_templates (COALESCE(merchant_id, 0), template_key);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT REFERENCES merchants(id),
    template_key TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    order_id BIGINT REFERENCES orders(id),
    status TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_merchant ON outbox (merchant_id, created_at);

CREATE TABLE message_threads (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    thread_id BIGINT NOT NULL REFERENCES message_threads(id),
    sender TEXT NOT NULL,
    sender_user_id BIGINT REFERENCES users(id),
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX messages_thread ON messages (thread_id, created_at);

CREATE TABLE interaction_settings (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE interactions (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT REFERENCES customers(id),
    order_id BIGINT REFERENCES orders(id),
    user_id BIGINT REFERENCES users(id),
    category TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX interactions_merchant_at ON interactions (merchant_id, at);

CREATE TABLE free_memos (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT REFERENCES customers(id),
    body TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE rejected_orders (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT REFERENCES customers(id),
    reason TEXT NOT NULL,
    payload TEXT NOT NULL,
    at BIGINT NOT NULL
);

-- Electronic vouchers (spec §8): a program (a city's voucher) with voucher types, accounts with
-- balances, and payments at participating merchants' stores.
CREATE TABLE voucher_programs (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE voucher_types (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (program_id, code)
);

CREATE TABLE voucher_participants (
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    PRIMARY KEY (program_id, merchant_id)
);

CREATE TABLE voucher_accounts (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    voucher_type_id BIGINT NOT NULL REFERENCES voucher_types(id),
    holder_user_id BIGINT REFERENCES users(id),
    holder_name TEXT NOT NULL,
    balance BIGINT NOT NULL CHECK (balance >= 0),
    created_at BIGINT NOT NULL
);

CREATE TABLE voucher_payments (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    payment_number TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES voucher_accounts(id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    terminal_id BIGINT NOT NULL REFERENCES terminals(id),
    voucher_type_id BIGINT NOT NULL REFERENCES voucher_types(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    client_request_id TEXT NOT NULL UNIQUE,
    paid_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    cancelled_by BIGINT REFERENCES users(id),
    cancel_memo TEXT NOT NULL DEFAULT ''
);
CREATE INDEX voucher_payments_merchant_paid ON voucher_payments (merchant_id, paid_at);

CREATE TABLE settlements (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    payout_date TEXT NOT NULL,
    gross BIGINT NOT NULL,
    platform_fee BIGINT NOT NULL,
    cancel_request_fees BIGINT NOT NULL,
    refunds BIGINT NOT NULL,
    cancellation_fees_kept BIGINT NOT NULL,
    net BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, kind, period_start)
);

CREATE TABLE settlement_lines (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    settlement_id BIGINT NOT NULL REFERENCES settlements(id),
    channel_id BIGINT REFERENCES channels(id),
    order_id BIGINT REFERENCES orders(id),
    voucher_payment_id BIGINT REFERENCES voucher_payments(id),
    line_kind TEXT NOT NULL,
    amount BIGINT NOT NULL
);

-- Restart-safe jobs: a run key (job + period/day) is claimed once.
CREATE TABLE job_runs (
    run_key TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT NOT NULL DEFAULT ''
);

INSERT INTO sequences (name, next_value) VALUES ('order_number', 1);
