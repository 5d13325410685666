// The retail READ tools: authentication look-ups and user, order, product and item details, with
// τ²-bench's outputs (plain ids as strings, documents as JSON) and refusals.
import { Type } from '@sinclair/typebox'
import { defineTool } from '../define.ts'
import { args, OrderId, UserId } from './params.ts'
import { orderDoc, refuse, userDoc } from './store.ts'

export const findUserIdByEmail = defineTool({
  name: 'find_user_id_by_email',
  description: 'Find user id by email. If the user is not found, the function will return an error message.',
  type: 'READ',
  parameters: args({ email: Type.String({ description: "The email of the user, such as 'something@example.com'." }) }),
  async run({ email }, { db }) {
    const [row] = await db<{ user_id: string }[]>`
      select user_id from retail_users where lower(email) = lower(${email}) order by position limit 1`
    return row?.user_id ?? refuse('User not found')
  },
})

export const findUserIdByNameZip = defineTool({
  name: 'find_user_id_by_name_zip',
  description:
    'Find user id by first name, last name, and zip code. If the user is not found, the function will return an error message. By default, find user id by email, and only call this function if the user is not found by email or cannot remember email.',
  type: 'READ',
  parameters: args({
    first_name: Type.String({ description: "The first name of the customer, such as 'John'." }),
    last_name: Type.String({ description: "The last name of the customer, such as 'Doe'." }),
    zip: Type.String({ description: "The zip code of the customer, such as '12345'." }),
  }),
  async run({ first_name, last_name, zip }, { db }) {
    const [row] = await db<{ user_id: string }[]>`
      select user_id from retail_users
      where lower(first_name) = lower(${first_name}) and lower(last_name) = lower(${last_name}) and zip = ${zip}
      order by position limit 1`
    return row?.user_id ?? refuse('User not found')
  },
})

export const getUserDetails = defineTool({
  name: 'get_user_details',
  description: 'Get the details of a user, including their orders.',
  type: 'READ',
  parameters: args({ user_id: UserId }),
  run: ({ user_id }, { db }) => userDoc(db, user_id),
})

export const getOrderDetails = defineTool({
  name: 'get_order_details',
  description: 'Get the status and details of an order.',
  type: 'READ',
  parameters: args({ order_id: OrderId }),
  run: ({ order_id }, { db }) => orderDoc(db, order_id),
})

export const getProductDetails = defineTool({
  name: 'get_product_details',
  description: 'Get the inventory details of a product.',
  type: 'READ',
  parameters: args({
    product_id: Type.String({ description: "The product id, such as '6086499569'. Be careful the product id is different from the item id." }),
  }),
  async run({ product_id }, { db }) {
    const [row] = await db<{ doc: unknown }[]>`select doc from retail_product_docs where product_id = ${product_id}`
    return row?.doc ?? refuse('Product not found')
  },
})

export const getItemDetails = defineTool({
  name: 'get_item_details',
  description: 'Get the inventory details of an item.',
  type: 'READ',
  parameters: args({
    item_id: Type.String({ description: "The item id, such as '6086499569'. Be careful the item id is different from the product id." }),
  }),
  async run({ item_id }, { db }) {
    const [row] = await db`select item_id, options, available, price from retail_items where item_id = ${item_id}`
    return row ?? refuse('Item not found')
  },
})

export const listAllProductTypes = defineTool({
  name: 'list_all_product_types',
  description:
    'List the name and product id of all product types. Each product type has a variety of different items with unique item ids and options. There are only 50 product types in the store.',
  type: 'READ',
  parameters: args({}),
  async run(_, { db }) {
    // τ²-bench returns json.dumps(..., sort_keys=True): a JSON string sorted by product name.
    const rows = await db<{ name: string; product_id: string }[]>`select name, product_id from retail_products order by name collate "C"`
    return JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.product_id])))
  },
})
