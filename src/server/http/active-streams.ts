/** Every request that changes state or streams an answer is tracked here, so shutdown can wait for it. */
export interface ActiveStreams {
  controllers: Set<AbortController>;
}
