package io.dmjava.worker.sync.checkpoint;

/**
 * The last row change one apply queue committed, written in the same downstream transaction as the rows.
 *
 * @param queue   queue index
 * @param queues  how many queues the run had (queue assignment is only reproducible with the same count)
 * @param seq     the last change it committed
 */
public record AppliedMark(int queue, int queues, EventSeq seq) {
}
