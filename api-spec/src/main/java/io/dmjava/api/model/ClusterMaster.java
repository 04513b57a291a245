package io.dmjava.api.model;

/**
 * A master of the cluster (schema {@code ClusterMaster}).
 *
 * @param name   the master's name
 * @param alive  whether the master is running
 * @param leader whether the master is the current leader
 * @param addr   the master's advertised address (host:port)
 */
public record ClusterMaster(String name, boolean alive, boolean leader, String addr) {
}
