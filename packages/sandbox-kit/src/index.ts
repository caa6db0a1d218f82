export { FaultSchedule, seededRandom, type FaultRuleBase, type FaultScheduleOptions } from './faults';
