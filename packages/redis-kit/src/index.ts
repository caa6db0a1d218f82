export { type RedisLock, tryRedisLock } from './lock.js';
