-- The retail demo business (τ²-bench retail): products and variant items, users and payment methods,
-- orders with items, fulfillments and payment history. Seeded from data/retail/db.json on first start.
create table retail_products (
  product_id text primary key,
  name text not null,
  position int not null
);

create table retail_items (
  item_id text primary key,
  product_id text not null references retail_products (product_id),
  -- json, not jsonb: keeps τ²-bench's option order (color before size) in what the model reads
  options json not null,
  available boolean not null,
  price numeric(12, 2) not null,
  position int not null
);
create index retail_items_product_idx on retail_items (product_id, position);

create table retail_users (
  user_id text primary key,
  first_name text not null,
  last_name text not null,
  email text not null,
  address1 text not null,
  address2 text not null,
  city text not null,
  country text not null,
  state text not null,
  zip text not null,
  position int not null
);
create index retail_users_email_idx on retail_users (lower(email));
create index retail_users_name_zip_idx on retail_users (lower(first_name), lower(last_name), zip);

create table retail_payment_methods (
  id text primary key,
  user_id text not null references retail_users (user_id),
  source text not null check (source in ('credit_card', 'gift_card', 'paypal')),
  brand text,
  last_four text,
  -- gift cards only; a gift card can never go negative
  balance numeric(12, 2) check (balance >= 0),
  position int not null
);
create index retail_payment_methods_user_idx on retail_payment_methods (user_id, position);

create table retail_orders (
  order_id text primary key,
  user_id text not null references retail_users (user_id),
  address1 text not null,
  address2 text not null,
  city text not null,
  country text not null,
  state text not null,
  zip text not null,
  status text not null,
  cancel_reason text,
  return_items text[],
  return_payment_method_id text,
  exchange_items text[],
  exchange_new_items text[],
  exchange_payment_method_id text,
  exchange_price_difference numeric(12, 2),
  -- position in the global order list and in the user's own order list (db.json keeps both orders)
  position int not null,
  user_position int not null
);
create index retail_orders_user_idx on retail_orders (user_id, user_position);

create table retail_order_items (
  order_id text not null references retail_orders (order_id),
  position int not null,
  item_id text not null,
  product_id text not null,
  name text not null,
  price numeric(12, 2) not null,
  options json not null,
  primary key (order_id, position)
);

create table retail_fulfillments (
  order_id text not null references retail_orders (order_id),
  position int not null,
  tracking_ids text[] not null,
  item_ids text[] not null,
  primary key (order_id, position)
);

create table retail_payments (
  order_id text not null references retail_orders (order_id),
  seq int not null,
  transaction_type text not null check (transaction_type in ('payment', 'refund')),
  amount numeric(12, 2) not null,
  payment_method_id text not null,
  primary key (order_id, seq)
);

-- Emails the backend sends (password resets, workflow notices): an outbox, so a send is a row written
-- in the same transaction as the call's idempotency record.
create table retail_outbox (
  id bigint generated always as identity primary key,
  user_id text not null,
  kind text not null,
  payload jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index retail_outbox_user_idx on retail_outbox (user_id, id);

create table retail_disputes (
  dispute_id text primary key,
  order_id text not null references retail_orders (order_id),
  user_id text not null,
  reason text not null,
  amount numeric(12, 2) not null,
  status text not null default 'open' check (status in ('open', 'resolved', 'withdrawn')),
  credit_payment_method_id text,
  credited numeric(12, 2) not null default 0,
  created_at timestamptz not null default now()
);

create table retail_seed_state (
  version int primary key,
  seeded_at timestamptz not null default now()
);

-- The τ²-bench JSON documents, built in one round trip. `json` (not jsonb) keeps τ²'s key order;
-- json_strip_nulls drops the optional attributes an order or payment method does not have.
create view retail_order_docs as
select o.order_id, o.user_id, json_strip_nulls(json_build_object(
  'order_id', o.order_id,
  'user_id', o.user_id,
  'address', json_build_object('address1', o.address1, 'address2', o.address2, 'city', o.city,
    'country', o.country, 'state', o.state, 'zip', o.zip),
  'items', coalesce((select json_agg(json_build_object('name', i.name, 'product_id', i.product_id,
    'item_id', i.item_id, 'price', i.price, 'options', i.options) order by i.position)
    from retail_order_items i where i.order_id = o.order_id), '[]'::json),
  'status', o.status,
  'fulfillments', coalesce((select json_agg(json_build_object('tracking_id', f.tracking_ids,
    'item_ids', f.item_ids) order by f.position)
    from retail_fulfillments f where f.order_id = o.order_id), '[]'::json),
  'payment_history', coalesce((select json_agg(json_build_object('transaction_type', p.transaction_type,
    'amount', p.amount, 'payment_method_id', p.payment_method_id) order by p.seq)
    from retail_payments p where p.order_id = o.order_id), '[]'::json),
  'cancel_reason', o.cancel_reason,
  'return_items', o.return_items,
  'return_payment_method_id', o.return_payment_method_id,
  'exchange_items', o.exchange_items,
  'exchange_new_items', o.exchange_new_items,
  'exchange_payment_method_id', o.exchange_payment_method_id,
  'exchange_price_difference', o.exchange_price_difference
)) as doc
from retail_orders o;

create view retail_user_docs as
select u.user_id, json_build_object(
  'user_id', u.user_id,
  'name', json_build_object('first_name', u.first_name, 'last_name', u.last_name),
  'address', json_build_object('address1', u.address1, 'address2', u.address2, 'city', u.city,
    'country', u.country, 'state', u.state, 'zip', u.zip),
  'email', u.email,
  'payment_methods', coalesce((select json_object_agg(m.id, json_strip_nulls(json_build_object(
    'source', m.source, 'id', m.id, 'brand', m.brand, 'last_four', m.last_four, 'balance', m.balance))
    order by m.position) from retail_payment_methods m where m.user_id = u.user_id), '{}'::json),
  'orders', coalesce((select json_agg(o.order_id order by o.user_position)
    from retail_orders o where o.user_id = u.user_id), '[]'::json)
) as doc
from retail_users u;

create view retail_product_docs as
select p.product_id, json_build_object(
  'name', p.name,
  'product_id', p.product_id,
  'variants', coalesce((select json_object_agg(i.item_id, json_build_object('item_id', i.item_id,
    'options', i.options, 'available', i.available, 'price', i.price) order by i.position)
    from retail_items i where i.product_id = p.product_id), '{}'::json)
) as doc
from retail_products p;
