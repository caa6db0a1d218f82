export { FaultSchedule, seededRandom, type FaultRuleBase, type FaultScheduleOptions } from './faults';
export { readSingleEntryZip, type SingleEntryZip, type SingleEntryZipLimits, type ZipRule } from './zip';
