/**
 * Every label of the dashboard in Japanese and English, in one place. Japanese is the default
 * language; `?lang=en` switches. Column labels are keyed by the SQL alias of the column.
 */
export type Lang = "ja" | "en";

export const LANGS: readonly Lang[] = ["ja", "en"];

export function langOf(value: string | undefined): Lang {
  return value === "en" ? "en" : "ja";
}

const L = (ja: string, en: string) => ({ ja, en });

export const LABELS = {
  // Pages
  "page.overview": L("概要", "Overview"),
  "page.funnel": L("ファネル", "Funnel"),
  "page.geography": L("地域", "Geography"),
  "page.pricing": L("賃料", "Pricing"),
  "page.moveins": L("入居", "Move-ins"),
  "page.moveouts": L("退去", "Move-outs"),
  "page.quality": L("データ品質", "Data quality"),
  // Frame
  "nav.label": L("ページ", "Pages"),
  "nav.signOut": L("ログアウト", "Sign out"),
  "lang.switch": L("English", "日本語"),
  asOf: L("基準日", "As-of date"),
  noData: L("データなし", "No data"),
  noPublished: L("公開済みのデータがありません", "No published data yet"),
  badFilters: L("フィルターが不正です", "Invalid filters"),
  // Filters
  "filter.title": L("フィルター", "Filters"),
  "filter.from": L("開始日", "From"),
  "filter.to": L("終了日", "To"),
  "filter.tenant_type": L("契約者種別", "Tenant type"),
  "filter.nationality": L("国籍", "Nationality"),
  "filter.building": L("物件", "Building"),
  "filter.municipality": L("市区町村", "Municipality"),
  "filter.grain": L("集計単位", "Grain"),
  "filter.all": L("すべて", "All"),
  "filter.apply": L("適用", "Apply"),
  "filter.reset": L("リセット", "Reset"),
  "grain.day": L("日", "Day"),
  "grain.week": L("週", "Week"),
  "grain.month": L("月", "Month"),
  "note.unfiltered": L(
    "この表には一部のフィルターの次元がないため、それらは適用されません",
    "Some filters do not apply to this table (its data has no such dimension)",
  ),
  "table.unavailable": L("この表を読み込めませんでした", "This table could not be read"),
  "table.download": L("CSV ダウンロード", "Download CSV"),
  "table.showing": L("表示", "Showing"),
  "table.of": L("件中", "of"),
  "table.rows": L("行", "rows"),
  // Overview
  "kpi.occupancy_rate": L("稼働率", "Occupancy rate"),
  "kpi.rent": L("賃料 (RENT)", "RENT"),
  "kpi.revpar": L("RevPAR", "RevPAR"),
  "kpi.recpar_cash": L("RecPAR (現金)", "RecPAR cash"),
  "kpi.occupied_rooms_0000": L("稼働室数 00:00", "Occupied rooms 00:00"),
  "kpi.latestDay": L("最新日", "latest day"),
  "kpi.mom": L("前月比", "vs previous month"),
  "kpi.month": L("対象月", "Month"),
  "chart.occupancy_trend": L("日次稼働率の推移", "Daily occupancy"),
  "series.fact": L("実績", "Fact"),
  "series.projection": L("予測", "Projection"),
  boundary: L("実績/予測の境界", "Fact / projection boundary"),
  "trace.version": L("KPI 定義バージョン", "KPI definition version"),
  "trace.dump": L("ダンプ", "Dump"),
  "trace.built": L("構築日時", "Built at"),
  "table.kpi_monthly": L("月末 KPI", "Month-end KPIs"),
  "table.occupancy_daily": L("日次稼働", "Daily occupancy"),
  // Funnel
  "chart.funnel": L("問い合わせ → 申込 → 入居", "Inquiries → applications → move-ins"),
  "chart.funnel_trend": L("期間別の推移", "By period"),
  "table.funnel_periods": L("期間別ファネル", "Funnel by period"),
  "table.funnel_daily": L("日別ファネル", "Funnel by day"),
  "table.funnel_daily_segments": L(
    "日別ファネル (物件・属性別の明細)",
    "Funnel by day, building and segment",
  ),
  // Geography
  "chart.map": L(
    "東京の地図 (物件: 稼働率、市区町村: 純増減)",
    "Tokyo map (buildings: occupancy, municipalities: net change)",
  ),
  "axis.longitude": L("経度", "Longitude"),
  "axis.latitude": L("緯度", "Latitude"),
  "series.buildings": L("物件", "Buildings"),
  "series.municipalities": L("市区町村", "Municipalities"),
  "table.municipality_churn": L("市区町村別の入退去", "Churn by municipality"),
  "table.property_churn": L("物件別の入退去", "Churn by building"),
  "table.property_daily": L("物件別の日次稼働", "Building occupancy by day"),
  "table.buildings": L("物件の稼働 (最新日)", "Building occupancy (latest day)"),
  // Pricing
  "chart.rent_band_conversion": L("賃料帯別の成約率とシェア", "Conversion and share by rent band"),
  "chart.rent_distribution": L("賃料帯別の入居数", "Move-ins by rent band"),
  "chart.monthly_conversion": L("月別の成約率", "Conversion by month"),
  "table.rent_bands": L("賃料帯", "Rent bands"),
  "table.monthly_conversion": L("月別ファネル", "Funnel by month"),
  // Move-ins / move-outs
  "chart.weekly_moveins": L("週別入居数", "Weekly move-ins"),
  "chart.weekly_moveouts": L("週別退去数", "Weekly move-outs"),
  "chart.reasons_weekly": L("週別退去理由", "Move-out reasons by week"),
  "table.weekly": L("週別件数", "Weekly counts"),
  "table.segments": L("週別件数 (物件・属性別の明細)", "Weekly counts by building and segment"),
  "table.profile": L("属性別", "Profile"),
  "table.reasons": L("退去理由 (週別)", "Move-out reasons (weekly)"),
  "dim.tenant_type": L("契約者種別", "Tenant type"),
  "dim.nationality": L("国籍", "Nationality"),
  "dim.gender": L("性別", "Gender"),
  "dim.age_band": L("年齢帯", "Age band"),
  "dim.personal_identity": L("身分", "Identity"),
  "dim.affiliation_type": L("所属", "Affiliation"),
  "dim.rent_band": L("賃料帯", "Rent band"),
  "dim.tenure_band": L("入居期間", "Tenure"),
  "dim.reason": L("退去理由", "Reason"),
  // Quality
  "chart.calendar": L("データ日カレンダー (有効/欠損)", "Data days (valid / gap)"),
  "chart.step_timings": L("最新実行のステップ所要時間", "Step timings of the latest run"),
  "status.valid": L("有効", "Valid"),
  "status.gap": L("欠損", "Gap"),
  "table.calendar": L("データ日", "Data days"),
  "table.runs": L("最近の実行", "Last runs"),
  "table.steps": L("ステップ", "Steps"),
  "table.model_runs": L("モデルの所要時間 (最新実行)", "Model timings (latest run)"),
  "table.failing_tests": L("失敗したテスト", "Failing tests"),
  "table.freshness": L("鮮度チェック", "Freshness check"),
} as const;

export type LabelKey = keyof typeof LABELS;

export function t(lang: Lang, key: LabelKey): string {
  return LABELS[key][lang];
}

/** Column headers of the detail tables, by SQL alias (CSV headers keep the alias). */
export const COLUMN_LABELS: Record<string, { ja: string; en: string }> = {
  month_start: L("月", "Month"),
  week_start: L("週 (月曜)", "Week (Monday)"),
  period_start: L("期間開始", "Period start"),
  day: L("日", "Day"),
  snapshot_date: L("日付", "Date"),
  calendar_date: L("日付", "Date"),
  occupancy_rate: L("稼働率", "Occupancy rate"),
  period_end_rooms: L("稼働室数", "Occupied rooms"),
  total_rooms: L("総室数", "Total rooms"),
  occupied_rooms: L("稼働室数", "Occupied rooms"),
  occupied_rooms_0000_next_day: L("稼働室数 00:00 (翌日)", "Occupied rooms 00:00 (next day)"),
  rent: L("賃料 (RENT)", "RENT"),
  revpar: L("RevPAR", "RevPAR"),
  recpar_cash: L("RecPAR (現金)", "RecPAR cash"),
  is_projection: L("予測", "Projection"),
  applications: L("申込", "Applications"),
  inquiries: L("問い合わせ", "Inquiries"),
  new_moveins: L("入居", "Move-ins"),
  new_moveouts: L("退去", "Move-outs"),
  moveins: L("入居", "Move-ins"),
  moveouts: L("退去", "Move-outs"),
  scheduled_moveins: L("予定入居", "Scheduled move-ins"),
  scheduled_moveouts: L("予定退去", "Scheduled move-outs"),
  cancellations: L("キャンセル", "Cancellations"),
  conversion: L("成約率", "Conversion"),
  net_change: L("純増減", "Net change"),
  churn_rate: L("退去率", "Churn rate"),
  occupied_rooms_at_start: L("期首稼働室数", "Occupied rooms at start"),
  municipality: L("市区町村", "Municipality"),
  tenant_type: L("契約者種別", "Tenant type"),
  nationality: L("国籍", "Nationality"),
  building: L("物件", "Building"),
  asset_id_hj: L("物件コード", "Asset code"),
  latitude: L("緯度", "Latitude"),
  longitude: L("経度", "Longitude"),
  net_change_28d: L("純増減 (28 日)", "Net change (28 days)"),
  rent_band: L("賃料帯", "Rent band"),
  share_of_applications: L("申込シェア", "Share of applications"),
  share_of_moveins: L("入居シェア", "Share of move-ins"),
  dimension: L("次元", "Dimension"),
  value: L("値", "Value"),
  share: L("シェア", "Share"),
  reason: L("退去理由", "Reason"),
  share_of_week: L("週内シェア", "Share of week"),
  status: L("状態", "Status"),
  reason_text: L("理由", "Reason"),
  source: L("ソース", "Source"),
  run_id: L("実行 ID", "Run id"),
  target_date: L("対象日", "Target date"),
  state: L("状態", "State"),
  started_at: L("開始", "Started"),
  duration_ms: L("所要 (ms)", "Duration (ms)"),
  failing_step: L("失敗ステップ", "Failing step"),
  warnings: L("警告", "Warnings"),
  step: L("ステップ", "Step"),
  kind: L("種類", "Kind"),
  rows: L("行数", "Rows"),
  test: L("テスト", "Test"),
  node: L("対象", "Node"),
  severity: L("重大度", "Severity"),
  failures: L("失敗数", "Failures"),
  target: L("対象", "Target"),
  latest: L("最新", "Latest"),
  age_hours: L("経過時間", "Age (hours)"),
  level: L("レベル", "Level"),
};

/** Day (Sunday first, as ECharts expects) and month names of the calendar chart. */
export const CALENDAR_NAMES: Record<Lang, { days: string[]; months: string[] }> = {
  ja: {
    days: ["日", "月", "火", "水", "木", "金", "土"],
    months: Array.from({ length: 12 }, (_, i) => `${i + 1}月`),
  },
  en: {
    days: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  },
};

export function columnLabel(lang: Lang, column: string): string {
  return COLUMN_LABELS[column]?.[lang] ?? column;
}
