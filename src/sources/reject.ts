/** Why an input record was not loaded. Stable codes: they are counted in the manifest. */
export type RejectReason =
  | 'invalid-value'
  | 'missing-value'
  | 'negative-amount'
  | 'ragged-row'
  | 'unreadable'
  | 'duplicate-id'
  | 'unknown-persoon'
  | 'address-not-in-bag'
  | 'invalid-xml'
  | 'unknown-object-type';

/** One rejected input record: where it was, which field, what it held and why it was refused. */
export interface Reject {
  /** Path relative to the input folder. */
  file: string;
  /** Line (CSV) or record number (BAG XML) where the record starts. */
  position: number;
  column: string | null;
  value: string | null;
  reason: RejectReason;
  message: string;
}
