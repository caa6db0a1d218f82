export { type FaultRuleBase, FaultSchedule, type FaultScheduleOptions, seededRandom } from './faults.js';
