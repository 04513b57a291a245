package io.dmjava.model.cluster;

/**
 * The stage of a unit, subtask or relay. The master writes the expected stage; the worker reports the
 * actual one. Names are DM's, so they appear unchanged in the API.
 */
public enum Stage {
    New, Running, Paused, Stopped, Finished
}
