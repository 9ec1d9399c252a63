-- The daily authorization job reads every order still 与信済, of every merchant.
CREATE INDEX orders_status_method ON orders (status, payment_method);
