/**
 * Every rule the screen knows, in evaluation order. A pipeline enables, weighs and parameterises
 * them by id; ids never change meaning (a new meaning is a new version).
 */
import type { Rule } from './define-rule.ts';
import { cashPurchase } from './financing-cash-purchase.ts';
import { quickResale } from './ownership-quick-resale.ts';
import { permitMismatch } from './use-permit-mismatch.ts';

export const catalogue: readonly Rule[] = [
  cashPurchase,
  quickResale,
  permitMismatch,
] as unknown as readonly Rule[];

export function ruleById(id: string): Rule | undefined {
  return catalogue.find((r) => r.id === id);
}
