//! Integration tests: the real application on a random port, over HTTP, against the database
//! named by `KIPPU_TEST_DATABASE_URL` (SQLite when unset). `./scripts/test` runs this whole
//! suite twice: once on SQLite and once on a fresh PostgreSQL database.

mod accounts;
mod allowed_payments;
mod api;
mod architecture;
mod authorizations;
mod bookings;
mod boundary;
mod cancellations;
mod channels;
mod cli;
mod door_ui;
mod email;
mod export;
mod flash;
mod goods;
mod goods_ui;
mod harness;
mod labels;
mod multi_use;
mod onboarding;
mod orders;
mod orders_bulk;
mod orders_ui;
mod payouts;
mod payouts_goods;
mod platform;
mod products;
mod products_api;
mod reservations;
mod reservations_ui;
mod settlements;
mod shipments_import;
mod shop;
mod shop_goods;
mod snapshots;
mod staff;
mod stays;
mod stock;
mod storage;
mod tenancy;
mod transfer;
mod typing;
mod ui;
mod work_queue;
