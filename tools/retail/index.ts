// The retail demo backend (τ²-bench retail) as tools: the 16 τ²-bench tools, account recovery, the
// internal workflow steps, and the seed. Other folders reach it through tools/index.ts.
import type { ToolDefinition } from '../types.ts'
import { modifyUserAddress, sendPasswordReset } from './account-tools.ts'
import { exchangeDeliveredOrderItems, returnDeliveredOrderItems } from './delivered-order-tools.ts'
import { calculate, transferToHumanAgents } from './generic-tools.ts'
import { cancelPendingOrder, modifyPendingOrderAddress, modifyPendingOrderItems, modifyPendingOrderPayment } from './pending-order-tools.ts'
import {
  findUserIdByEmail,
  findUserIdByNameZip,
  getItemDetails,
  getOrderDetails,
  getProductDetails,
  getUserDetails,
  listAllProductTypes,
} from './read-tools.ts'
import { cancelReturnRequest, closeBillingDispute, creditDispute, notifyCustomer, openBillingDispute, reverseDisputeCredit } from './workflow-tools.ts'

export { seedRetail, DEFAULT_RETAIL_DB_PATH, type RetailDb, type SeedOptions } from './seed.ts'

/** τ²-bench's 16 retail tools, in tools.json order. */
export const TAU2_RETAIL_TOOLS: readonly ToolDefinition[] = [
  calculate,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByNameZip,
  findUserIdByEmail,
  getOrderDetails,
  getProductDetails,
  getItemDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  transferToHumanAgents,
]

/** Everything the retail backend serves: τ²-bench's tools, account recovery and the internal workflow steps. */
export const RETAIL_TOOLS: readonly ToolDefinition[] = [
  ...TAU2_RETAIL_TOOLS,
  sendPasswordReset,
  notifyCustomer,
  cancelReturnRequest,
  openBillingDispute,
  creditDispute,
  reverseDisputeCredit,
  closeBillingDispute,
]
