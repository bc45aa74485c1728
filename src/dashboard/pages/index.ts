/** The page modules in navigation order (DASHBOARD_PAGES holds their paths). */
import { funnelPage } from "./funnel.js";
import { geographyPage } from "./geography.js";
import { moveinsPage, moveoutsPage } from "./move-events.js";
import { overviewPage } from "./overview.js";
import type { PageModule } from "./page-kit.js";
import { pricingPage } from "./pricing.js";
import { qualityPage } from "./quality.js";

export const DASHBOARD_PAGE_MODULES: readonly PageModule[] = [
  overviewPage,
  funnelPage,
  geographyPage,
  pricingPage,
  moveinsPage,
  moveoutsPage,
  qualityPage,
];
