// Argument schemas shared by the retail tools, with τ²-bench's parameter descriptions (models read them).
import { Type, type TProperties } from '@sinclair/typebox'

/** Tool arguments are closed objects: an unexpected argument is a bad call, as in τ²-bench's Python signatures. */
export const args = <T extends TProperties>(props: T) => Type.Object(props, { additionalProperties: false })

export const OrderId = Type.String({
  description: "The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.",
})
export const UserId = Type.String({ description: "The user id, such as 'sara_doe_496'." })
export const PaymentMethodId = Type.String({
  description:
    "The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.",
})
export const ItemIds = (what: string) =>
  Type.Array(Type.String(), { description: `The item ids to be ${what}, each such as '1008292230'. There could be duplicate items in the list.` })
export const NewItemIds = (what: string) =>
  Type.Array(Type.String(), {
    description: `The item ids to be ${what} for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.`,
  })

export const AddressArgs = {
  address1: Type.String({ description: "The first line of the address, such as '123 Main St'." }),
  address2: Type.String({ description: "The second line of the address, such as 'Apt 1' or ''." }),
  city: Type.String({ description: "The city, such as 'San Francisco'." }),
  state: Type.String({ description: "The state, such as 'CA'." }),
  country: Type.String({ description: "The country, such as 'USA'." }),
  zip: Type.String({ description: "The zip code, such as '12345'." }),
}
