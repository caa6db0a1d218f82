// How rule checks report what they find; shared by every rules module so that none imports another's internals.
import type { Guide } from './guide.js';
import type { ShipmentIndicator } from './guide-codes.js';

/** Reports a broken rule: the field, the rule's name, a message, and SUNAT's code when the stylesheets give one. */
export type RuleFail = (field: string, rule: string, message: string, sunatCode?: string) => void;

/** Reports an observation: SUNAT accepts the guide and writes the code in the CDR's notes. */
export type ObservationNote = (field: string, message: string, sunatCode: string) => void;

/** Whether the guide carries a SpecialInstructions indicator. */
export const hasIndicator = (guide: Guide, indicator: ShipmentIndicator): boolean => (guide.shipment?.indicators ?? []).includes(indicator);

/** A 09 guide moving goods in or out of the country (reasons 08 import, 09 export): customs rules apply. */
export const isCustomsTransfer = (guide: Guide): boolean =>
  guide.type === '09' && (guide.shipment?.reason === '08' || guide.shipment?.reason === '09');
