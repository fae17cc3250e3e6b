/**
 * Every rule the screen knows, in evaluation order. A pipeline enables, weighs and parameterises
 * them by id; ids never change meaning (a new meaning is a new version). Second-phase rules
 * (`phase: 2`) run after all others and read their hits.
 */
import type { Rule } from './define-rule.ts';
import { cashPurchase } from './financing-cash-purchase.ts';
import { privateLender } from './financing-private-lender.ts';
import { foreignLender } from './financing-foreign-lender.ts';
import { overfinancing } from './financing-overfinancing.ts';
import { priceWozDeviation } from './financing-price-woz-deviation.ts';
import { opaqueOwner } from './financing-opaque-owner.ts';
import { youngCompanyBuyer } from './financing-young-company-buyer.ts';
import { quickResale } from './ownership-quick-resale.ts';
import { frequentTransfers } from './ownership-frequent-transfers.ts';
import { relatedPartyTransfer } from './ownership-related-party-transfer.ts';
import { portfolioBuildup } from './ownership-portfolio-buildup.ts';
import { permitMismatch } from './use-permit-mismatch.ts';
import { businessAtResidential } from './use-business-at-residential.ts';
import { addressConcentration } from './use-address-concentration.ts';
import { signalMatch } from './network-signal-match.ts';
import { flaggedApplicant } from './network-flagged-applicant.ts';

export const catalogue: readonly Rule[] = [
  cashPurchase,
  privateLender,
  foreignLender,
  overfinancing,
  priceWozDeviation,
  opaqueOwner,
  youngCompanyBuyer,
  quickResale,
  frequentTransfers,
  relatedPartyTransfer,
  portfolioBuildup,
  permitMismatch,
  businessAtResidential,
  addressConcentration,
  signalMatch,
  flaggedApplicant,
] as unknown as readonly Rule[];
