// The KPI definitions' windows and the cost model's rates from the environment: part of lib/config.ts's schema
// (which alone reads the environment), defaults from lib/kpi-settings.ts.
import { Type, type Static } from '@sinclair/typebox'
import { DEFAULT_KPI_SETTINGS as D, type KpiSettings } from './kpi-settings.ts'

const H = 3_600_000
const Num = (def: number, description: string) => Type.Number({ default: def, minimum: 0, description })

export const KpiEnv = {
  /** A closed conversation with no reopening and no return on the same intent this long is resolved. @defaultValue 72 */
  KPI_CONFIRM_WINDOW_H: Num(D.confirmWindowMs / H, 'no-return window that confirms a resolution, hours'),
  /** @defaultValue 168 (7 days) */
  KPI_DURABLE_WINDOW_H: Num(D.durableWindowMs / H, 'window a resolution must stay closed to be durable, hours'),
  /** @defaultValue 24 */
  KPI_ABANDON_AFTER_H: Num(D.abandonAfterMs / H, 'customer silence after a reply that makes a conversation abandoned, hours'),
  /** @defaultValue 2 */
  KPI_MINUTES_PER_REPLY: Num(D.minutesPerReply, 'minutes a person would spend writing one reply'),
  /** @defaultValue 0.0001 */
  KPI_GUARDRAIL_CHECK_USD: Num(D.cost.guardrailCheckUsd, 'cost of one guardrail check, USD'),
  /** @defaultValue 0.00003 */
  KPI_WORKER_SECOND_USD: Num(D.cost.workerSecondUsd, 'cost of one worker-second, USD'),
  /** @defaultValue 0.25 */
  KPI_GB_STORED_USD: Num(D.cost.gbStoredUsd, 'cost of one GB stored for the retention period, USD'),
  /** @defaultValue 30 */
  KPI_HUMAN_HOUR_USD: Num(D.cost.humanHourUsd, "cost of an hour of a person's time, USD"),
  /** @defaultValue 6 */
  KPI_QA_REVIEW_MINUTES: Num(D.cost.qaReviewMinutes, 'minutes one QA review takes'),
  /** How often each worker judges the conversations that changed or came due into their KPI rows; 0 turns it off. @defaultValue 30000 */
  KPI_SWEEP_MS: Type.Integer({ default: 30_000, minimum: 0, description: 'KPI outcome sweep interval, ms' }),
  /** The most of a worker's time its sweep may take (it rests between batches), so turns keep their latency. @defaultValue 0.25 */
  KPI_SWEEP_SHARE: Type.Number({ default: 0.25, exclusiveMinimum: 0, maximum: 1, description: "share of a worker's time the KPI sweep may take" }),
  /**
   * How long a conversation's facts must have been still before the background sweep judges it, so a busy
   * conversation is judged once it quiets down instead of after every turn (KPI reads still judge every change first).
   * @defaultValue 60000
   */
  KPI_SETTLE_MS: Type.Integer({ default: 60_000, minimum: 0, description: 'how long a changed conversation waits before the KPI sweep judges it, ms' }),
  /** How often each worker checks whether yesterday's QA sample is drawn; 0 turns the job off. @defaultValue 600000 */
  QA_SAMPLE_CHECK_MS: Type.Integer({ default: 600_000, minimum: 0, description: 'QA sampling check interval, ms' }),
  /** Conversations sampled per conversation type and maturity level each day. @defaultValue 5 */
  QA_SAMPLE_PER_STRATUM: Type.Integer({ default: 5, minimum: 0, description: 'QA sample size per stratum' }),
  /** How often each worker looks for systemic issues; 0 turns the check off. @defaultValue 300000 */
  SYSTEMIC_CHECK_MS: Type.Integer({ default: 300_000, minimum: 0, description: 'systemic issue check interval, ms' }),
  /** The sliding window a spike is counted in; the baseline is the 24 windows before it. @defaultValue 60 */
  SYSTEMIC_WINDOW_MIN: Type.Integer({ default: 60, minimum: 1, description: 'systemic issue window, minutes' }),
  /** Where systemic-issue alerts are POSTed, Alertmanager-compatible (an Alertmanager's /api/v2/alerts). */
  ALERTS_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** A ClickHouse HTTP interface to export to (`http://clickhouse:8123`); none: no export. One worker exports at a time. */
  EXPORT_CLICKHOUSE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** @defaultValue 'switchboard' */
  EXPORT_CLICKHOUSE_DATABASE: Type.String({ default: 'switchboard', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  EXPORT_CLICKHOUSE_USER: Type.Optional(Type.String()),
  EXPORT_CLICKHOUSE_PASSWORD: Type.Optional(Type.String()),
  /**
   * An S3 bucket to export Parquet files to (`<prefix>/<stream>/tenant=<id>/day=<YYYY-MM-DD>/…`), reached with the
   * S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE and S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY settings; none: no Parquet export.
   */
  EXPORT_PARQUET_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  /** @defaultValue 'warehouse' */
  EXPORT_PARQUET_PREFIX: Type.String({ default: 'warehouse', pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$' }),
}

const KpiEnvSchema = Type.Object(KpiEnv)

/** The warehouse export's ClickHouse settings; undefined without one. */
export function exportConfig(env: Static<typeof KpiEnvSchema>) {
  if (!env.EXPORT_CLICKHOUSE_URL) return undefined
  return { url: env.EXPORT_CLICKHOUSE_URL, database: env.EXPORT_CLICKHOUSE_DATABASE, username: env.EXPORT_CLICKHOUSE_USER, password: env.EXPORT_CLICKHOUSE_PASSWORD }
}

/** The Parquet export's bucket and prefix; undefined without a bucket (the S3 connection settings are the cold tier's). */
export function parquetExportConfig(env: Static<typeof KpiEnvSchema>) {
  if (!env.EXPORT_PARQUET_BUCKET) return undefined
  return { bucket: env.EXPORT_PARQUET_BUCKET, prefix: env.EXPORT_PARQUET_PREFIX }
}

/** The systemic-issue check's settings. */
export function systemicConfig(env: Static<typeof KpiEnvSchema>) {
  return { checkMs: env.SYSTEMIC_CHECK_MS, windowMs: env.SYSTEMIC_WINDOW_MIN * 60_000, webhookUrl: env.ALERTS_WEBHOOK_URL }
}

/** How often the KPI outcome sweep runs, how much of the time it may take, and how long a change settles first. */
export function kpiSweepConfig(env: Static<typeof KpiEnvSchema>) {
  return { intervalMs: env.KPI_SWEEP_MS, share: env.KPI_SWEEP_SHARE, settleMs: env.KPI_SETTLE_MS }
}

/** The daily QA sample's settings. */
export function qaSamplingConfig(env: Static<typeof KpiEnvSchema>) {
  return { checkMs: env.QA_SAMPLE_CHECK_MS, perStratum: env.QA_SAMPLE_PER_STRATUM }
}

export function kpiConfig(env: Static<typeof KpiEnvSchema>): KpiSettings {
  return {
    confirmWindowMs: env.KPI_CONFIRM_WINDOW_H * H, durableWindowMs: env.KPI_DURABLE_WINDOW_H * H, abandonAfterMs: env.KPI_ABANDON_AFTER_H * H,
    positiveCsat: D.positiveCsat, lowCsat: D.lowCsat, minutesPerReply: env.KPI_MINUTES_PER_REPLY,
    cost: {
      guardrailCheckUsd: env.KPI_GUARDRAIL_CHECK_USD, workerSecondUsd: env.KPI_WORKER_SECOND_USD, gbStoredUsd: env.KPI_GB_STORED_USD,
      humanHourUsd: env.KPI_HUMAN_HOUR_USD, qaReviewMinutes: env.KPI_QA_REVIEW_MINUTES,
    },
  }
}
