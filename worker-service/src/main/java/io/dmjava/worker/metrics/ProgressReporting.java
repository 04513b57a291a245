package io.dmjava.worker.metrics;

/** A unit whose progress the worker exports (the dump and the load). */
public interface ProgressReporting {
    /** The unit's counters now; called on every scrape, from the scraping thread. */
    UnitProgress progress();
}
